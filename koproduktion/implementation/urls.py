from django.urls import path

from .views import plan, tasks

app_name = "implementation"

urlpatterns = [
    path("", plan.overview_view, name="overview"),
    path("kalender.ics", plan.calendar_view, name="calendar"),
    path("meilensteine/neu/", plan.milestone_form_view, name="milestone_create"),
    path("meilensteine/<int:milestone_id>/", plan.milestone_form_view, name="milestone_edit"),
    path(
        "meilensteine/<int:milestone_id>/gruppe-verlassen/",
        plan.milestone_leave_view,
        name="milestone_leave",
    ),
    path("berichte/neu/", plan.update_create_view, name="update_create"),
    path("aufgaben/", tasks.task_list_view, name="tasks"),
    path("aufgaben/neu/", tasks.task_create_view, name="task_create"),
    path("aufgaben/<int:task_id>/", tasks.task_detail_view, name="task"),
    path("aufgaben/<int:task_id>/zusagen/", tasks.commit_view, name="commit"),
    path(
        "aufgaben/<int:task_id>/zusagen/<int:commitment_id>/absagen/",
        tasks.on_site_cancel_view,
        name="on_site_cancel",
    ),
    path("aufgaben/<int:task_id>/veroeffentlichen/", tasks.publish_view, name="publish"),
    path("aufgaben/<int:task_id>/schichten/", tasks.shift_add_view, name="shift_add"),
    path("aufgaben/<int:task_id>/loeschen/", tasks.task_delete_view, name="task_delete"),
    path(
        "aufgaben/<int:task_id>/freiwillige.csv", tasks.volunteers_csv_view, name="volunteers_csv"
    ),
]
