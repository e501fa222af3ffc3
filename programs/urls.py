"""Pages of the programme records: public reading, officers' editing, publishing, scoring.

The fixed first segments (``projects``, ``cities``, ...) come before the programme's
code; :data:`programs.forms.records.RESERVED_CODES` keeps a programme from taking one.
"""

from django.urls import path

from programs.views import editing, public, publishing, review, scoring_schemes

urlpatterns = [
    path("programmes/", public.ProgrammeListView.as_view(), name="programme-list"),
    path("programmes/new/", editing.ProgrammeFormView.as_view(), name="programme-create"),
    # Projects and their review.
    path("programmes/projects/", public.ProjectListView.as_view(), name="programme-project-list"),
    path(
        "programmes/projects/new/",
        editing.ProjectFormView.as_view(),
        name="programme-project-create",
    ),
    path(
        "programmes/projects/<int:pk>/",
        public.ProjectDetailView.as_view(),
        name="programme-project-detail",
    ),
    path(
        "programmes/projects/<int:pk>/edit/",
        editing.ProjectFormView.as_view(),
        name="programme-project-edit",
    ),
    path(
        "programmes/projects/<int:pk>/review/",
        review.ProjectReviewView.as_view(),
        name="programme-project-review",
    ),
    # Cities.
    path("programmes/cities/new/", editing.CityFormView.as_view(), name="programme-city-create"),
    path(
        "programmes/cities/<int:pk>/",
        public.CityDetailView.as_view(),
        name="programme-city-detail",
    ),
    path(
        "programmes/cities/<int:pk>/edit/",
        editing.CityFormView.as_view(),
        name="programme-city-edit",
    ),
    # Events and seminars.
    path("programmes/events/", public.EventListView.as_view(), name="programme-event-list"),
    path("programmes/events/new/", editing.EventFormView.as_view(), name="programme-event-create"),
    path(
        "programmes/events/<int:pk>/edit/",
        editing.EventFormView.as_view(),
        name="programme-event-edit",
    ),
    # Participations, contributions, milestones, criterion assessments.
    path(
        "programmes/participations/<int:pk>/edit/",
        editing.ParticipationFormView.as_view(),
        name="programme-participation-edit",
    ),
    path(
        "programmes/contributions/new/",
        editing.FundingContributionFormView.as_view(),
        name="programme-contribution-create",
    ),
    path(
        "programmes/contributions/<int:pk>/edit/",
        editing.FundingContributionFormView.as_view(),
        name="programme-contribution-edit",
    ),
    path(
        "programmes/milestones/<int:pk>/edit/",
        editing.MilestoneFormView.as_view(),
        name="programme-milestone-edit",
    ),
    path(
        "programmes/projects/<int:project>/assessments/new/",
        editing.AssessmentFormView.as_view(),
        name="programme-project-assessment-create",
    ),
    path(
        "programmes/participations/<int:participation>/assessments/new/",
        editing.AssessmentFormView.as_view(),
        name="programme-participation-assessment-create",
    ),
    path(
        "programmes/assessments/<int:pk>/edit/",
        editing.AssessmentFormView.as_view(),
        name="programme-assessment-edit",
    ),
    path(
        "programmes/assessments/<int:pk>/decide/",
        review.AssessmentDecideView.as_view(),
        name="programme-assessment-decide",
    ),
    # Weighted scoring of competing proposals.
    path("programmes/scoring/<int:pk>/", review.ScoringView.as_view(), name="programme-scoring"),
    path(
        "programmes/scoring/<int:pk>/edit/",
        scoring_schemes.ScoringSchemeFormView.as_view(),
        name="programme-scoring-scheme-edit",
    ),
    # Publishing (administrators).
    path(
        "programmes/records/<slug:kind>/<int:pk>/publish/",
        publishing.PublishView.as_view(publish=True),
        name="programme-record-publish",
    ),
    path(
        "programmes/records/<slug:kind>/<int:pk>/unpublish/",
        publishing.PublishView.as_view(publish=False),
        name="programme-record-unpublish",
    ),
    # A programme, by its code (after every fixed segment above).
    path("programmes/<slug:code>/", public.ProgrammeDetailView.as_view(), name="programme-detail"),
    path(
        "programmes/<slug:code>/edit/",
        editing.ProgrammeFormView.as_view(),
        name="programme-edit",
    ),
    path(
        "programmes/<slug:code>/participations/new/",
        editing.ParticipationFormView.as_view(),
        name="programme-participation-create",
    ),
    path(
        "programmes/<slug:code>/scoring/new/",
        scoring_schemes.ScoringSchemeFormView.as_view(),
        name="programme-scoring-scheme-create",
    ),
    path(
        "programmes/<slug:code>/milestones/new/",
        editing.MilestoneFormView.as_view(),
        name="programme-milestone-create",
    ),
]
