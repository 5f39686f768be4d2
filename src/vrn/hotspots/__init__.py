"""Hotspots, injury surveillance and forecasting (docs/hotspots.md): reads the loaded
points, runs `vrn.analytics.spatial` over the network's grid, and serves the results to
the commands, the problem profile and the dashboard."""
