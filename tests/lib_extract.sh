# lib_extract.sh -- sourced by the end-to-end tests of the extract's
# reading. extract_config DIR FILE TEGNSAET [DATO] writes DIR/c.ini: a run
# on the extract DIR/FILE alone, afvis = raekke, the outputs and the history
# store in DIR/ud; the extract date from DATO, else from the file's name.
extract_config() {
  mkdir -p "$1"
  {
    printf '[kommune]\nnavn = Testkommune\nkode = 730\n'
    printf '[udtraek]\nfil = %s\ntegnsaet = %s\nafvis = raekke\n' "$2" "$3"
    [ -z "${4:-}" ] || printf 'dato = %s\n' "$4"
    printf '[output]\nmappe = ud\n[historik]\ndatabase = ud/historik.sqlite\n'
  } >"$1/c.ini"
}
