"""What progress reacts to: recommendations' facts from roadmaps and the lifecycle, and every other projection's.

Each handler gives the same end state whatever order the topics interleave in: plain facts are set once, the
latest moment is kept, a field guarded by a time only moves for a newer fact (`is_newer`), and a status only for a
later move of the lifecycle (`moves_later`). Handlers change plain rows (sori.rows), so that a whole poll, or a
replay, is applied in memory and written back in bulk.
"""

from contracts.topics import topics_of
from services.progress.handlers import activities, economies, milestones, publication, recommendations
from sori.projection import ProjectionConsumer
from sori.service import by_payload

_ALL = (
    *recommendations.PROJECTORS,
    *milestones.PROJECTORS,
    *activities.PROJECTORS,
    *economies.PROJECTORS,
    *publication.PROJECTORS,
)
PROJECTORS = by_payload(*_ALL)
CONSUMER = ProjectionConsumer(group="progress", topics=topics_of(PROJECTORS), projectors=PROJECTORS)
