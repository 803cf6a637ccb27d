"""共性问题: the problem workflow (actions) and the detector's candidates (candidates)."""
