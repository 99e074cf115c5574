# Sourced by run.sh, test.sh and stack_smoke.sh: make sure .venv exists and has exactly the
# pinned requirements.
# Usage: ensure_venv requirements.txt [more files…]

# Python keeps each module's bytecode in __pycache__ (ignored by git) after its first import. Where the
# environment turns that off (PYTHONDONTWRITEBYTECODE), every process compiles Django, the libraries
# and the project again: ~4 s a process, and the suite starts dozens (workers, Celery workers, the
# demo loaded in a subprocess: seed_demo 19 s against 10 s).
unset PYTHONDONTWRITEBYTECODE
ensure_venv() {
  local python="${PYTHON:-python3.11}"
  command -v "$python" >/dev/null 2>&1 || python=python3
  if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv with $("$python" --version)"
    "$python" -m venv .venv
  fi
  local stamp=.venv/.requirements.sha256 wanted
  wanted=$(cat requirements*.txt "$@" | sha256sum | cut -d' ' -f1)-$*
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "Installing $* into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    local args=()
    for f in "$@"; do args+=(-r "$f"); done
    # --no-compile: Python compiles a module when it is first imported (and keeps it, above), not all
    # 800 MB now (-20 s).
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-compile "${args[@]}"
    echo "$wanted" > "$stamp"
  fi
}
