from django.urls import URLPattern, URLResolver, path

from dualcirc.deals import conversation_views, views

app_name = "deals"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("requests/", views.buyer_requests, name="buyer-requests"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.buyer_request, name="buyer-request"),
    path("requests/<int:pk>/close/", views.request_close, name="request-close"),
    path("invitations/", views.supplier_invitations, name="supplier-invitations"),
    path("rfq/<int:pk>/", views.supplier_request, name="supplier-request"),
    path("quotes/", views.supplier_quotes, name="supplier-quotes"),
    path("quotes/<int:pk>/", views.negotiation, name="negotiation"),
    path("quotes/<int:pk>/counter/", views.counter_offer, name="counter-offer"),
    path("quotes/<int:pk>/accept/", views.accept, name="accept"),
    path("quotes/<int:pk>/message/", views.message, name="message"),
    path("quotes/<int:pk>/thread/", views.thread, name="thread"),
    path("quotes/<int:pk>/attachments/", views.attach, name="attach"),
    path("quotes/<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("quotes/<int:pk>/state/", views.quote_state, name="quote-state"),
    path("orders/", views.order_list, name="orders"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/transition/", views.order_transition, name="order-transition"),
    path("orders/<int:pk>/milestones/", views.order_milestone, name="order-milestone"),
    path("orders/<int:pk>/payments/", views.order_payment, name="order-payment"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("rates/", views.rates, name="rates"),
    # "Contact supplier" threads (conversation_views.py)
    path("conversations/", conversation_views.conversation_list, name="conversations"),
    path("conversations/<int:pk>/", conversation_views.conversation, name="conversation"),
    path(
        "conversations/<int:pk>/messages/",
        conversation_views.conversation_message,
        name="conversation-message",
    ),
    path(
        "conversations/<int:pk>/quote/",
        conversation_views.conversation_quote,
        name="conversation-quote",
    ),
    path(
        "contact/<int:enterprise_pk>/",
        conversation_views.contact_supplier,
        name="contact-supplier",
    ),
]
