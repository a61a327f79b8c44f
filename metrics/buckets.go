package metrics

// Units and default descriptions of the duration histograms.
const (
	// UnitMilliseconds is the unit of [Client.RecordDuration] and [Timer] histograms.
	UnitMilliseconds = "ms"
	// UnitSeconds is the unit of [Client.RecordDurationSeconds] histograms.
	UnitSeconds = "s"
	// DescriptionMilliseconds is the default description of millisecond duration histograms.
	DescriptionMilliseconds = "Duration in milliseconds."
	// DescriptionSeconds is the default description of second duration histograms.
	DescriptionSeconds = "Duration in seconds."
)

// durationMsBounds are the explicit bucket boundaries of millisecond durations (codex-otel S2).
var durationMsBounds = [...]float64{
	0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 1250, 1500, 1750, 2000, 2250, 2500, 3000, 3500, 4000,
	4500, 5000, 6000, 7000, 7500, 8000, 9000, 10000, 12000, 15000, 20000, 30000, 60000, 120000,
}

// durationSecondsBounds are the explicit bucket boundaries of second durations (semantic-conventions style).
var durationSecondsBounds = [...]float64{
	0, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 12, 15, 20, 30, 60, 120,
}

// DurationMillisecondsBounds returns (a copy of) the bucket boundaries of [Client.RecordDuration]:
// 0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 1250, ... 10000, 12000, 15000, 20000, 30000, 60000, 120000.
func DurationMillisecondsBounds() []float64 { return append([]float64(nil), durationMsBounds[:]...) }

// DurationSecondsBounds returns (a copy of) the bucket boundaries of [Client.RecordDurationSeconds]:
// 0, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 12, 15, 20, 30, 60, 120.
func DurationSecondsBounds() []float64 { return append([]float64(nil), durationSecondsBounds[:]...) }
