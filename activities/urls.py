from django.urls import path

from . import events, views

app_name = "activities"

urlpatterns = [
    path("mina-aktiviteter/", views.my_activities, name="mine"),
    path("logga/", views.log_record, name="log"),
    path("aktiviteter/<int:activity_id>/logga/", views.log_record, name="log_activity"),
    path("mina-registreringar/", views.my_records, name="records"),
    path("registreringar/", views.municipality_records, name="municipality_records"),
    path("registreringar/<int:record_id>/", views.record_detail, name="record"),
    path("registreringar/<int:record_id>/andra/", views.edit_record, name="edit"),
    path("registreringar/<int:record_id>/makulera/", views.void_record, name="void"),
    path("planerade-aktiviteter/", events.planned_events, name="events"),
]
