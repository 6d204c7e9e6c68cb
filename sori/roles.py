"""Every process role SoRi runs, by name: the app factory that `sori serve ROLE` starts."""

SERVICES: dict[str, str] = {
    "progress": "services.progress.app:create_app",
    "roadmaps": "services.roadmaps.app:create_app",
    "working_group": "services.working_group.app:create_app",
    "social_approaches": "services.social_approaches.app:create_app",
    "notifications": "services.notifications.app:create_app",
}
PIPELINE: dict[str, str] = {
    "bridge": "workflows.bridge:create_app",
    "worker": "workflows.worker:create_app",
}
ROLES: dict[str, str] = {**SERVICES, **PIPELINE}
