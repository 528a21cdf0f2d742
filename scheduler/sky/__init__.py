"""The sky: where every target is, seen from every station, and when it is usable. Ephemerides
(JPL DE421 or ERFA's theories), time scales and Earth orientation computed once per horizon,
topocentric geometry for all stations at once, observing constraints as small composable
classes, the vectorised search that finds their edges, and the view periods that come out
(docs/design.md: Times and units; README: Visibility)."""
