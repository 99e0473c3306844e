# Sourced by the benchmark scripts: exports the service's native settings (OpenMP's waiting
# policy, glibc's malloc settings) from their one source, each unless it is already set, so that a
# benchmark can compare another value. BENCH_NATIVE_DEFAULTS=0 exports none of them.
if [ "${BENCH_NATIVE_DEFAULTS:-1}" = 1 ]; then
    while IFS= read -r setting || [ -n "$setting" ]; do
        case $setting in '' | '#'*) continue ;; esac
        if eval "[ -z \"\${${setting%%=*}+set}\" ]"; then
            export "${setting?}"
        fi
    done <"$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/src/main/resources/io/embedserve/inference/native-environment.properties"
fi
