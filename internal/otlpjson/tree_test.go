package otlpjson

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// treeSeeds are inputs on which the parser must agree with encoding/json.
var treeSeeds = []string{
	`{}`, `[]`, `null`, `true`, `false`, `0`, `-0`, `-1.5e+10`, `1E-7`, `"x"`, ` {"a" : [1, 2 ,{}] } `,
	`{"a":1,"a":2}`, `"\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t"`, `"\ud800"`, `"\ud800\u0041"`, `"\udc00\ud800"`,
	"\"\xff\xfe\"", "\"a\xe6\x97\"", `"\u12"`, `"\x"`, "\"\x01\"", `01`, `1.`, `.5`, `-`, `1e`, `+1`, `tru`, `nul`,
	`[1,]`, `{"a":1,}`, `{"a"}`, `{1:2}`, `[`, `{`, `"abc`, `{} x`, `[] []`, "\t\n\r []", `[-0.0e-0]`,
	strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth),
	strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1),
}

func TestParseTreeMatchesEncodingJSON(t *testing.T) {
	for _, in := range treeSeeds {
		checkParseTree(t, []byte(in))
	}
}

func FuzzParseTree(f *testing.F) {
	for _, in := range treeSeeds {
		f.Add([]byte(in))
	}
	f.Fuzz(checkParseTree)
}

// checkParseTree checks that parseTree accepts exactly what json.Valid
// accepts and that re-encoding the tree preserves the value.
func checkParseTree(t *testing.T, data []byte) {
	n, err := parseTree(data)
	if valid := json.Valid(data); valid != (err == nil) {
		short := data
		if len(short) > 80 {
			short = short[:80]
		}
		t.Fatalf("json.Valid=%v but parseTree error=%v for %q", valid, err, short)
	}
	if err != nil {
		return
	}
	again := appendNode(nil, &n)
	if !json.Valid(again) {
		t.Fatalf("re-encoded %q is invalid", again)
	}
	if want, got := decodeAny(t, data), decodeAny(t, again); !reflect.DeepEqual(want, got) {
		t.Fatalf("value changed: %q became %q", data, again)
	}
}

func decodeAny(t *testing.T, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %q: %v", data, err)
	}
	return v
}
