"""The shop front and the account's cart and checkout pages (mounted at the site root)."""

from django.urls import path

from orders import views_shop

app_name = "shop"
urlpatterns = [
    path("shop/", views_shop.ShopCatalogPage.as_view(), name="catalog"),
    path("shop/<str:product_id>/", views_shop.ShopProductPage.as_view(), name="product"),
    path("account/cart/", views_shop.CartPage.as_view(), name="cart"),
    path("account/checkout/", views_shop.CheckoutPage.as_view(), name="checkout"),
]
