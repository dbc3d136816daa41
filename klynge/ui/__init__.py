"""The only part of `klynge` that knows Streamlit: filters, cached data access, charts,
formatting and texts for the pages."""
