"""Interchangeable groups of technologies, so the search can rule out a subtree once per orbit.

Technologies interact only through pair bonuses, conflicts and requirements. Split the problem's
technologies into the connected components of that interaction graph: two components that are
isomorphic (a one-to-one map keeping every slot's candidates and points, every pair, conflict and
requirement) can be swapped as wholes without changing any stack's score or validity. Relabelling the
components of each such class in order of first use gives a canonical form of a partial stack: every
partial stack with the same form has the same best completion score, so the search needs to prove a
bound for one of them only. A catalog of identical copies is the extreme case; on a real catalog the
classes are mostly technologies nothing else refers to that have the same points.

Isomorphisms are looked for where colour refinement leaves each member of a component a colour of
its own, then checked rule by rule; a component that fails either test is simply left alone (sound:
the search just learns less).
"""

from __future__ import annotations

from collections import defaultdict


def _interactions(problem, universe: set[str]):
    """Labelled edges of the interaction graph and requirements normalised to the universe."""
    edges: dict[str, list[tuple[tuple, str]]] = defaultdict(list)
    pinned: set[str] = set()
    for pair, points in problem.pairs.items():
        if len(pair) == 2 and points and pair <= universe:
            a, b = sorted(pair)
            edges[a].append((("pair", points), b))
            edges[b].append((("pair", points), a))
    for tech, clash in problem.conflicts.items():
        if tech in universe:
            for other in clash & universe:
                edges[tech].append((("conflict",), other))
                edges[other].append((("conflict",), tech))
    requirements = []
    for req in problem.requirements:
        targets = req.targets & universe
        if req.owner is None:
            pinned |= targets  # a must-use names technologies that nothing may stand in for
            continue
        if req.owner not in universe or req.slot is not None and req.slot not in problem.slots or (
                req.when_in is not None and req.when_in not in problem.slots):
            continue
        label = (req.slot or "", req.when_in or "", len(targets))
        requirements.append((req.owner, targets, req.slot, req.when_in))
        for t in targets:
            edges[req.owner].append((("needs",) + label, t))
            edges[t].append((("needed",) + label, req.owner))
    return edges, pinned, requirements


def _components(universe: set[str], edges) -> list[list[str]]:
    seen: set[str] = set()
    out = []
    for start in sorted(universe):
        if start in seen:
            continue
        seen.add(start)
        stack, members = [start], []
        while stack:
            t = stack.pop()
            members.append(t)
            for _, other in edges.get(t, ()):
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        out.append(sorted(members))
    return out


def _discrete(members: list[str], colour: dict[str, int]) -> bool:
    return len({colour[t] for t in members}) == len(members)


def _refine(universe: set[str], edges, colour: dict[str, int], sample: list[str]) -> dict[str, int]:
    """Colour refinement: a technology's colour absorbs the colours of its labelled neighbours.

    Stops once the members of `sample` all differ (enough to map a component by colour), or when
    a round splits nothing.
    """
    count = len(set(colour.values()))
    while True:
        signature = {t: (colour[t], tuple(sorted((label, colour[o]) for label, o in edges.get(t, ()))))
                     for t in universe}
        ids: dict[tuple, int] = {}
        new = {t: ids.setdefault(signature[t], len(ids)) for t in sorted(universe)}
        if len(ids) == count or _discrete(sample, new):
            return new
        colour, count = new, len(ids)


def find_symmetry(problem) -> dict[str, tuple[int, int, str]]:
    """Interchangeable components of `problem` (see the module docstring), as
    {technology: (class id, component index, the matching technology of component 0)}."""
    slots_of: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for slot in problem.slots:
        for t in problem.candidates[slot]:
            if t is not None:
                slots_of[t].append((slot, problem.unary[(slot, t)]))
    universe = set(slots_of)
    edges, pinned, requirements = _interactions(problem, universe)
    start = {t: (tuple(sorted(v)), t if t in pinned else "") for t, v in slots_of.items()}
    ids: dict[tuple, int] = {}
    colour = {t: ids.setdefault(start[t], len(ids)) for t in sorted(universe)}
    alike: dict[tuple, list[list[str]]] = defaultdict(list)
    for members in _components(universe, edges):
        alike[tuple(sorted(colour[t] for t in members))].append(members)
    # Components that could be copies of each other. Where their own points leave two members of
    # one alike, refine the colours of that group only (a component's colours depend on it alone).
    groups = []
    for group in alike.values():
        if len(group) < 2:
            continue
        if _discrete(group[0], colour):
            groups.append(group)
            continue
        techs = {t for members in group for t in members}
        refined = _refine(techs, edges, {t: colour[t] for t in techs}, group[0])
        offset = max(colour.values()) + 1  # (only for reading: the check below needs no unique ids)
        colour.update({t: offset + c for t, c in refined.items()})
        split: dict[tuple, list[list[str]]] = defaultdict(list)
        for members in group:
            if _discrete(members, colour):
                split[tuple(sorted(colour[t] for t in members))].append(members)
        groups.extend(g for g in split.values() if len(g) > 1)

    reqs_of: dict[str, list[tuple]] = defaultdict(list)
    for owner, targets, slot, when_in in requirements:
        reqs_of[owner].append((slot or "", when_in or "", tuple(sorted(colour[t] for t in targets))))

    def local(t: str) -> tuple:
        """t's slots, points and rules with every other technology named by its colour."""
        return (colour[t], tuple(sorted(slots_of[t])),
                tuple(sorted((label, colour[o]) for label, o in edges.get(t, ()))),
                tuple(sorted(reqs_of.get(t, ()))))

    # Within a component whose colours are all different, two components with the same multiset
    # of local structures are isomorphic through the map that keeps colours: every slot, point,
    # pair, conflict and requirement of one is, colour for colour, one of the other.
    by_signature: dict[tuple, list[list[str]]] = defaultdict(list)
    for group in groups:
        for members in group:
            by_signature[tuple(sorted(local(t) for t in members))].append(members)
    classes: dict[str, tuple[int, int, str]] = {}
    for class_id, group in enumerate(g for g in by_signature.values() if len(g) > 1):
        base = {colour[t]: t for t in group[0]}
        for index, members in enumerate(group):
            for t in members:
                classes[t] = (class_id, index, base[colour[t]])
    return classes
