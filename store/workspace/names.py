"""The file names a workspace keeps at its top, apart from store/ (a module of names only:
git's merge driver tells jixiao's own files by them without loading the settings reader)."""

SETTINGS = "jixiao.yaml"
HISTORY = "jixiao-imports.yaml"
