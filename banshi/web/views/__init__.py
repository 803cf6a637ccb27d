"""Banshi's pages: the resident's H5 pages and the staff's work pages."""
