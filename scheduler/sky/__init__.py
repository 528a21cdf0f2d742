"""The sky: where every target is, seen from every station, and when it is usable. Ephemerides
(JPL DE421 or astropy's theory), probe trajectories from CCSDS OEM files, topocentric geometry
for all stations at once, observing constraints as small composable classes, the vectorised
bisection that finds their edges, and the view periods that come out (docs/design.md: Visibility)."""

from scheduler.offline import configure

configure()  # astropy offline before any of this package's modules imports it
