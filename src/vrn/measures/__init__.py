"""The success measures and serious violence on the loaded partner data: the queries that
read the partner tables into the plain tables of :mod:`vrn.analytics.measures`, a text
report, and ``vrn measures``. No models of its own."""
