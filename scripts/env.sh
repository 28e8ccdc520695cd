# Sourced by ./vidkit and ./run-tests. Finds a JDK >= 21 and Maven, or fails loudly.
# Order: $JAVA_HOME, then the javac on PATH, then the system's JDK directory (/usr/lib/jvm).

vidkit_jdk_major() { # prints the major version of the JDK at $1, or nothing
  [ -x "$1/bin/javac" ] && [ -x "$1/bin/java" ] || return 0
  "$1/bin/javac" -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p' | head -n 1
}

vidkit_find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in /usr/lib/jvm/*; do candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    major=$(vidkit_jdk_major "$c")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      echo "$c"
      return 0
    fi
  done
  return 1
}

if ! VIDKIT_JDK=$(vidkit_find_jdk); then
  echo "vidkit: no JDK 21 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm)." >&2
  echo "vidkit: install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+, or set JAVA_HOME." >&2
  exit 2
fi
export JAVA_HOME="$VIDKIT_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
if ! command -v mvn >/dev/null 2>&1; then
  echo "vidkit: Apache Maven (mvn) is not on PATH: install it, e.g. 'apt-get install maven'." >&2
  exit 2
fi
VIDKIT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export VIDKIT_ROOT
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$HOME/.cache/vidkit/djl}"
# Maven 3.8's bundled Guava touches sun.misc.Unsafe, which JDK 24+ warns about on every build.
if [ "$(vidkit_jdk_major "$JAVA_HOME")" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
