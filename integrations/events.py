"""The catalogue of webhook event types (the contract's list, in its order)."""

CUSTOMER_CREATED = "customer.created"
CUSTOMER_UPDATED = "customer.updated"
CUSTOMER_ERASED = "customer.erased"
ORDER_CREATED = "order.created"
ORDER_PAID = "order.paid"
ORDER_CANCELLED = "order.cancelled"
ORDER_SHIPPED = "order.shipped"
ORDER_DELIVERED = "order.delivered"
RETURN_REQUESTED = "return.requested"
RETURN_APPROVED = "return.approved"
RETURN_REJECTED = "return.rejected"
REFUND_CREATED = "refund.created"
LOYALTY_POINTS_EARNED = "loyalty.points_earned"
REVIEW_APPROVED = "review.approved"
CREDIT_CHECK_DECIDED = "credit_check.decided"

EVENT_TYPES: tuple[str, ...] = (
    CUSTOMER_CREATED,
    CUSTOMER_UPDATED,
    CUSTOMER_ERASED,
    ORDER_CREATED,
    ORDER_PAID,
    ORDER_CANCELLED,
    ORDER_SHIPPED,
    ORDER_DELIVERED,
    RETURN_REQUESTED,
    RETURN_APPROVED,
    RETURN_REJECTED,
    REFUND_CREATED,
    LOYALTY_POINTS_EARNED,
    REVIEW_APPROVED,
    CREDIT_CHECK_DECIDED,
)
