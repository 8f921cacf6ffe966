"""The one vocabulary: every key and value of constraints and the catalog, and the words people read
for them. Forms, templates, the API, the engine's reasons and the seeds README all take them from here.

`keys` holds the values (most of them fixed by the contract), `words` their labels and hints, and
`radar` the radar's rings and quadrants.
"""

# Callers import every name from the package (`from advisor.engine.vocabulary import SLOTS`), so it
# re-exports its three modules whole; a name added to one of them needs no second line here.
from advisor.engine.vocabulary.keys import *  # noqa: F403  (re-export)
from advisor.engine.vocabulary.radar import *  # noqa: F403  (re-export)
from advisor.engine.vocabulary.words import *  # noqa: F403  (re-export)
