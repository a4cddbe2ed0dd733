"""L&D analytics: tables computed in the database, charts, and CSV/XLSX downloads."""
