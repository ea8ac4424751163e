"""Every write of the customers app. Modules by subject; import from the module that owns it."""
