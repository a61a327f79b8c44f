package waterfall

import (
	"encoding/hex"
	"strconv"
	"strings"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// keyAttrs are the span attributes shown, in this order, with their short labels.
var keyAttrs = []struct{ key, label string }{
	{"session.id", "session"},
	{"http.response.status_code", "http"},
	{"rpc.response.status_code", "rpc"},
	{"rpc.grpc.status_code", "grpc"},
	{"error.type", "error"},
}

// attrs renders the key attributes of one line.
func attrs(l line, o Options) string {
	sp := l.span
	var parts []string
	for _, ka := range keyAttrs {
		for _, kv := range sp.GetAttributes() {
			if kv.GetKey() == ka.key {
				parts = append(parts, ka.label+"="+quote(Truncate(ASCII(Value(kv.GetValue())), o.ValueWidth)))
				break
			}
		}
	}
	if st := sp.GetStatus(); st.GetCode() == tracepb.Status_STATUS_CODE_ERROR && st.GetMessage() != "" {
		parts = append(parts, "msg="+quote(Truncate(ASCII(st.GetMessage()), o.ValueWidth)))
	}
	if n := len(sp.GetLinks()); n > 0 {
		parts = append(parts, "links="+itoa(n))
	}
	if ev := eventNames(sp.GetEvents()); ev != "" {
		parts = append(parts, "events="+Truncate(ev, 2*o.ValueWidth))
	}
	if l.note != "" {
		parts = append(parts, l.note)
	}
	return strings.Join(parts, " ")
}

// eventNames lists the event names in order of first appearance, "name xN" when repeated.
func eventNames(events []*tracepb.Span_Event) string {
	if len(events) == 0 {
		return ""
	}
	var names []string
	counts := map[string]int{}
	for _, e := range events {
		n := ASCII(e.GetName())
		if n == "" {
			n = "?"
		}
		if counts[n] == 0 {
			names = append(names, n)
		}
		counts[n]++
	}
	for i, n := range names {
		if c := counts[n]; c > 1 {
			names[i] = n + " x" + itoa(c)
		}
	}
	return strings.Join(names, ",")
}

// quote wraps v in double quotes when it contains a space, '=' or '"', so key=value pairs stay readable.
func quote(v string) string {
	if strings.ContainsAny(v, " =\"") {
		return strconv.Quote(v)
	}
	return v
}

func itoa(n int) string { return strconv.Itoa(n) }

// Value renders an OTLP attribute value as text: strings as they are, numbers and booleans in Go syntax,
// bytes in hex, arrays as [a,b] and key-value lists as {k=v}.
func Value(v *commonpb.AnyValue) string {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_BoolValue:
		return strconv.FormatBool(x.BoolValue)
	case *commonpb.AnyValue_IntValue:
		return strconv.FormatInt(x.IntValue, 10)
	case *commonpb.AnyValue_DoubleValue:
		return strconv.FormatFloat(x.DoubleValue, 'g', -1, 64)
	case *commonpb.AnyValue_BytesValue:
		return hex.EncodeToString(x.BytesValue)
	case *commonpb.AnyValue_ArrayValue:
		vals := x.ArrayValue.GetValues()
		parts := make([]string, len(vals))
		for i, e := range vals {
			parts[i] = Value(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case *commonpb.AnyValue_KvlistValue:
		kvs := x.KvlistValue.GetValues()
		parts := make([]string, len(kvs))
		for i, kv := range kvs {
			parts[i] = kv.GetKey() + "=" + Value(kv.GetValue())
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	return ""
}
