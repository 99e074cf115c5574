from django.urls import path

from .views import accounts, consent, contacts

app_name = "accounts"

urlpatterns = [
    path("", accounts.account_list, name="list"),
    path("new/", accounts.account_create, name="create"),
    path("choices/", accounts.account_choices, name="choices"),
    path("<int:pk>/", accounts.account_detail, name="detail"),
    path("<int:pk>/edit/", accounts.account_edit, name="edit"),
    path("<int:pk>/delete/", accounts.account_delete, name="delete"),
    path("<int:pk>/hierarchy/", accounts.account_hierarchy, name="hierarchy"),
    path("<int:pk>/team/", accounts.team_add, name="team-add"),
    path("<int:pk>/team/<int:member_pk>/remove/", accounts.team_remove, name="team-remove"),
    path("<int:pk>/contacts/", contacts.contact_list, name="contacts"),
    path("<int:pk>/contacts/new/", contacts.contact_create, name="contact-create"),
    path("contacts/<int:pk>/", contacts.contact_detail, name="contact"),
    path("contacts/<int:pk>/edit/", contacts.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/delete/", contacts.contact_delete, name="contact-delete"),
    path("contacts/<int:pk>/consent/", consent.consent, name="contact-consent"),
    path("contacts/<int:pk>/consent/withdraw/", consent.withdraw, name="contact-consent-withdraw"),
]
