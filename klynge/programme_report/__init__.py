"""The programme report leadership takes to the ministry: `content` says what it holds (the
dashboard's figures and charts, in the report's language), `pdf` and `slides` lay it out,
`render` goes from the database to a file's bytes."""

# The report's file formats and their media types (here, not in `render`: the overview names
# them on every run, and `render` brings the PDF, slide and image libraries with it).
FORMATS: dict[str, str] = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
