#!/usr/bin/env bash
# Prints the home of the newest JDK >= 21 on this machine, or explains what to install.
# Order: $JAVA_HOME, `java` on PATH, then the usual install roots. The newest wins, because the
# optimizing GraalJS runtime needs the JDK whose JVMCI level matches the pinned Graal compiler (25.0.3).
set -uo pipefail
MIN=21
candidates=()
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
if command -v java >/dev/null 2>&1; then
  candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
fi
for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
  [ -x "$d/bin/java" ] && candidates+=("$d")
done
best=""; best_major=0
for home in "${candidates[@]}"; do
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
  version=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  major=${version%%.*}
  [[ "$major" =~ ^[0-9]+$ ]] || continue
  if [ "$major" -gt "$best_major" ]; then best=$home; best_major=$major; fi
done
if [ -z "$best" ] || [ "$best_major" -lt "$MIN" ]; then
  {
    echo "error: ScriptForge needs a JDK >= $MIN (25 recommended: Temurin 25.0.3 matches the pinned Graal compiler)."
    echo "       Found: ${best:-no JDK with javac} ${best:+(Java $best_major)}"
    echo "       Install one, e.g.  apt-get install temurin-25-jdk  (Adoptium repository), or sdk install java 25.0.3-tem,"
    echo "       then run make again, or point JAVA_HOME at it."
  } >&2
  exit 1
fi
echo "$best"
