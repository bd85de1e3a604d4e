# lib_example.sh -- sourced by the end-to-end tests that run the bundled
# example. example_copy DIR copies the example's inputs (extracts, history,
# logo) and its configuration into DIR, with the outputs going to DIR/out.
example_copy() {
  local dir=$1
  mkdir -p "$dir"
  cp "$SRC"/examples/*.csv "$SRC"/examples/logo.png "$dir/"
  cp -r "$SRC/examples/historik" "$dir/"
  sed -e "s|^mappe = .*|mappe = out|" "$SRC/examples/randers.ini" >"$dir/randers.ini"
}
