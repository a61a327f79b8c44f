package e2e

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
)

// BinaryRelPath is where `make collector` puts the collector, relative to
// the repository root (on Windows with ".exe" appended).
const BinaryRelPath = "bin/otelcol-otelkit/otelcol-otelkit"

// ErrNoBinary is wrapped by the error [Binary] returns when the collector
// has not been built.
var ErrNoBinary = errors.New("e2e: the collector binary is not built")

// RepoRoot returns the repository root: the nearest directory at or above
// the working directory that holds a go.mod file.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("e2e: working directory: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("e2e: no go.mod found at or above the working directory")
		}
		dir = parent
	}
}

// Binary returns the absolute path of the collector binary under the
// repository root. When it is missing the error wraps [ErrNoBinary] and says
// how to build it.
func Binary() (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	path := filepath.Join(root, filepath.FromSlash(BinaryRelPath))
	if runtime.GOOS == "windows" {
		path += ".exe"
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "", fmt.Errorf("%w: %s does not exist; run `make collector` (scripts/build-collector.sh) to build it", ErrNoBinary, path)
	case err != nil:
		return "", fmt.Errorf("e2e: collector binary: %w", err)
	case fi.IsDir() || fi.Mode()&0o111 == 0 && runtime.GOOS != "windows":
		return "", fmt.Errorf("%w: %s is not an executable file; run `make collector` to rebuild it", ErrNoBinary, path)
	}
	return path, nil
}

// InCI reports whether the CI environment variable is set to a true value
// ("true", "1", ...), as CI systems do.
func InCI() bool {
	ci, err := strconv.ParseBool(os.Getenv("CI"))
	return err == nil && ci
}

// RequireBinary returns the collector binary's path. When it is missing it
// fails tb under CI (see [InCI]), where the end-to-end tests must run, and
// skips tb otherwise; both with a message saying that `make collector`
// builds it.
func RequireBinary(tb testing.TB) string {
	tb.Helper()
	path, err := Binary()
	if err == nil {
		return path
	}
	switch {
	case InCI():
		tb.Fatalf("%v (CI=%q: the end-to-end tests against the real collector must run in CI, not skip)", err, os.Getenv("CI"))
	case errors.Is(err, ErrNoBinary):
		tb.Skipf("skipping the real-collector tests: %v", err)
	default:
		tb.Fatal(err)
	}
	return ""
}
