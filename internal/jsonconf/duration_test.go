package jsonconf_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/otelkit/otelkit/internal/jsonconf"
)

type config struct {
	Timeout time.Duration
}

func (c *config) UnmarshalJSON(b []byte) error {
	aux := struct {
		Timeout *jsonconf.Duration `json:"timeout"`
	}{jsonconf.Field("timeout", &c.Timeout)}
	return json.Unmarshal(b, &aux)
}

func TestDuration(t *testing.T) {
	for doc, want := range map[string]time.Duration{
		`{"timeout": "1m30s"}`: 90 * time.Second, `{"timeout": 1500}`: 1500, `{"timeout": " 2ms "}`: -1,
		`{"timeout": null}`: 7, `{}`: 7, `{"timeout": "-1s"}`: -time.Second,
	} {
		c := config{Timeout: 7}
		err := json.Unmarshal([]byte(doc), &c)
		if want == -1 {
			var je *jsonconf.Error
			if !errors.As(err, &je) || je.Key != "timeout" {
				t.Errorf("%s: err = %v, want a jsonconf.Error for timeout", doc, err)
			}
			continue
		}
		if err != nil || c.Timeout != want {
			t.Errorf("%s: %v, %v; want %v", doc, c.Timeout, err, want)
		}
	}
	for _, doc := range []string{`{"timeout": "soon"}`, `{"timeout": 1.5}`, `{"timeout": true}`, `{"timeout": []}`} {
		var je *jsonconf.Error
		if err := json.Unmarshal([]byte(doc), &config{}); !errors.As(err, &je) || je.Key != "timeout" {
			t.Errorf("%s: err = %v, want a jsonconf.Error for timeout", doc, err)
		}
	}
}
