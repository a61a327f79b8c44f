package otelkit_test

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strings"
	"testing"
)

var updateReadme = flag.Bool("update-readme", false, "rewrite the README's snippets from the Example functions")

// snippetRE matches a README code block generated from an Example function:
//
//	<!-- snippet: path/to/example_test.go ExampleName -->
//	```go
//	...
//	```
var snippetRE = regexp.MustCompile("(?s)<!-- snippet: (\\S+) (\\S+) -->\n```go\n(.*?)```\n")

// TestReadmeSnippets keeps every README snippet identical to the body of the Example it names, so the
// README only shows code that compiles (and, for Examples with output, runs). Regenerate with
// go test -run TestReadmeSnippets -update-readme .
func TestReadmeSnippets(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	matches := snippetRE.FindAllSubmatchIndex(readme, -1)
	if len(matches) < 4 {
		t.Fatalf("README has %d snippets; want the provider, fx, chi and gRPC quickstarts at least", len(matches))
	}
	var out bytes.Buffer
	last := 0
	for _, m := range matches {
		file, fn, got := string(readme[m[2]:m[3]]), string(readme[m[4]:m[5]]), string(readme[m[6]:m[7]])
		want, err := exampleBody(file, fn)
		if err != nil {
			t.Fatalf("snippet %s %s: %v", file, fn, err)
		}
		if got != want && !*updateReadme {
			t.Errorf("README snippet from %s %s is out of date; run: go test -run TestReadmeSnippets -update-readme .\n--- README\n%s--- example\n%s",
				file, fn, got, want)
		}
		out.Write(readme[last:m[6]])
		out.WriteString(want)
		last = m[7]
	}
	out.Write(readme[last:])
	if *updateReadme && !bytes.Equal(out.Bytes(), readme) {
		if err := os.WriteFile("README.md", out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// exampleBody returns the statements of function name in file, dedented by one tab, as source text.
func exampleBody(file, name string) (string, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
	if err != nil {
		return "", err
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != name || fd.Body == nil {
			continue
		}
		body := string(src[fset.Position(fd.Body.Lbrace).Offset+1 : fset.Position(fd.Body.Rbrace).Offset])
		var b strings.Builder
		for _, line := range strings.Split(strings.Trim(body, "\n"), "\n") {
			b.WriteString(strings.TrimPrefix(line, "\t"))
			b.WriteByte('\n')
		}
		return b.String(), nil
	}
	return "", fmt.Errorf("no function %s in %s", name, file)
}
