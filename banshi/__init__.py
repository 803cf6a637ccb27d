"""Banshi (办实事): residents' appeals and the campaign's work for a district."""
