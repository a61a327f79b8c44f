package jsonconf_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/otelkit/otelkit/internal/jsonconf"
)

// Retry is a configuration type whose durations JSON may write as "250ms" or as nanoseconds.
type Retry struct {
	Attempts int           `json:"attempts"`
	Backoff  time.Duration `json:"backoff"`
}

// UnmarshalJSON shadows the duration field with a jsonconf.Field of the same key.
func (r *Retry) UnmarshalJSON(b []byte) error {
	type plain Retry
	aux := struct {
		*plain
		Backoff *jsonconf.Duration `json:"backoff"`
	}{(*plain)(r), jsonconf.Field("backoff", &r.Backoff)}
	return json.Unmarshal(b, &aux)
}

func Example() {
	var r Retry
	err := json.Unmarshal([]byte(`{"attempts": 3, "backoff": "250ms"}`), &r)
	fmt.Println(r.Attempts, r.Backoff, err)
	err = json.Unmarshal([]byte(`{"backoff": "a while"}`), &r)
	fmt.Println(err)
	// Output:
	// 3 250ms <nil>
	// backoff: "a while" is not a duration (want a number and a unit, such as "10s" or "250ms")
}
