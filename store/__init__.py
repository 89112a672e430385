"""jixiao: the plain-file store. Imports no Textual."""
