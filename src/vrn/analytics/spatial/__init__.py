"""Spatial analysis on the British National Grid: grids, hotspots, near repeats, the
Cardiff Model comparison and forecasting. Pure functions; coordinates in metres
(EPSG:27700) unless a name says otherwise."""
