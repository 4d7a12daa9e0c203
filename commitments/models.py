# Filled by its own issue; the app exists so that the boundaries of DESIGN §4 hold from the start.
