package e2e

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// startAttempts bounds the retries when a port picked as free was taken
// before the collector bound it.
const startAttempts = 3

// Collector is a running collector process started by [Start] or [Run].
// Its methods are safe for concurrent use.
type Collector struct {
	cfg                 Config
	binary              string
	ports               ports
	configPath, logPath string
	outPath             string

	cmd     *exec.Cmd
	exited  chan struct{} // closed when the process has been waited for
	waitErr error         // valid after exited is closed

	stopOnce sync.Once
	stopErr  error
}

// Run starts a collector with cfg like [Start] and stops it when tb ends.
// An empty cfg.Dir becomes tb.TempDir(). It skips or fails tb as
// [RequireBinary] does when the binary is missing, and fails tb when the
// collector does not start.
func Run(tb testing.TB, cfg Config) *Collector {
	tb.Helper()
	RequireBinary(tb)
	if cfg.Dir == "" {
		cfg.Dir = tb.TempDir()
	}
	c, err := Start(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := c.Stop(); err != nil {
			tb.Errorf("e2e: stopping the collector: %v", err)
		}
	})
	return c
}

// Start starts the collector binary (see [Binary]) with the configuration
// cfg describes, written to a new directory under cfg.Dir (which several
// collectors may share), and returns once it has logged that
// every component started and its metrics endpoint answers,
// or with an error (including the end of its log) after cfg.StartTimeout.
// Ports are picked free on 127.0.0.1; when one is taken before the collector
// binds it, Start retries with new ports. Call [Collector.Stop] when done.
func Start(cfg Config) (*Collector, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if cfg.Dir == "" {
		return nil, errors.New("e2e: Config.Dir is required by Start")
	}
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	return startWith(cfg, bin, freePorts)
}

var errPortTaken = errors.New("a port was taken before the collector bound it")

// startWith starts the collector on ports from pick, with new ones when a
// port was taken in the meantime.
func startWith(cfg Config, bin string, pick func() (ports, error)) (*Collector, error) {
	for attempt := 1; ; attempt++ {
		p, err := pick()
		if err != nil {
			return nil, err
		}
		c, err := start(cfg, bin, p)
		if err == nil {
			return c, nil
		}
		if attempt >= startAttempts || !errors.Is(err, errPortTaken) {
			return nil, err
		}
	}
}

func start(cfg Config, bin string, p ports) (*Collector, error) {
	dir, err := os.MkdirTemp(cfg.Dir, "otelcol-")
	if err != nil {
		return nil, fmt.Errorf("e2e: create the collector directory: %w", err)
	}
	c := &Collector{
		cfg: cfg, binary: bin, ports: p,
		configPath: filepath.Join(dir, "config.yaml"),
		logPath:    filepath.Join(dir, "collector.log"),
		outPath:    filepath.Join(dir, "output.txt"),
		exited:     make(chan struct{}),
	}
	yaml, err := cfg.render(p, c.logPath)
	if err != nil {
		return nil, fmt.Errorf("e2e: render the collector config: %w", err)
	}
	if err := os.WriteFile(c.configPath, yaml, 0o600); err != nil {
		return nil, fmt.Errorf("e2e: write the collector config: %w", err)
	}
	out, err := os.Create(c.outPath)
	if err != nil {
		return nil, fmt.Errorf("e2e: create the collector output file: %w", err)
	}
	defer out.Close() // the child has its own descriptor
	c.cmd = exec.Command(bin, "--config", c.configPath)
	c.cmd.Stdout, c.cmd.Stderr = out, out
	orphanGuard(c.cmd)
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Errorf("e2e: start %s: %w", bin, err)
	}
	go func() {
		c.waitErr = c.cmd.Wait()
		close(c.exited)
	}()
	if err := c.waitReady(); err != nil {
		_ = c.Stop()
		return nil, err
	}
	return c, nil
}

// freePorts returns three distinct free loopback ports: all three are held
// open at once, then closed for the collector to bind.
func freePorts() (ports, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			_ = l.Close()
		}
	}()
	var nums []int
	for range 3 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return ports{}, fmt.Errorf("e2e: pick a free port: %w", err)
		}
		ls = append(ls, l)
		nums = append(nums, l.Addr().(*net.TCPAddr).Port)
	}
	return ports{http: nums[0], grpc: nums[1], metrics: nums[2]}, nil
}

// waitReady polls until the collector is ready (see ready), the process
// exits, or the start timeout passes.
func (c *Collector) waitReady() error {
	deadline := time.NewTimer(c.cfg.StartTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	client := &http.Client{Timeout: time.Second}
	defer client.CloseIdleConnections()
	for {
		select {
		case <-c.exited:
			log := c.logTail()
			err := fmt.Errorf("e2e: the collector exited before it was ready (%v); config %s; log:\n%s", c.waitErr, c.configPath, log)
			if strings.Contains(log, "address already in use") {
				return fmt.Errorf("%w: %w", errPortTaken, err)
			}
			return err
		case <-deadline.C:
			return fmt.Errorf("e2e: the collector was not ready after %v; config %s; log:\n%s", c.cfg.StartTimeout, c.configPath, c.logTail())
		case <-tick.C:
			if c.ready(client) {
				return nil
			}
		}
	}
}

// readyMessage is what the collector logs once every component has started,
// receivers last.
const readyMessage = "Everything is ready"

// ready reports whether the collector logged readyMessage and its metrics
// endpoint answers. The receiver ports are not probed: a connection closed
// without a TLS handshake makes the receiver log an error.
func (c *Collector) ready(client *http.Client) bool {
	log, err := os.ReadFile(c.logPath)
	if err != nil || !strings.Contains(string(log), readyMessage) {
		return false
	}
	resp, err := client.Get(c.MetricsURL())
	if err != nil {
		return false
	}
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// Stop stops the collector gracefully: SIGTERM, then a kill when it has not
// exited after Config.StopTimeout. It returns an error when the collector had
// to be killed or did not exit cleanly. It runs once; later calls return the
// first result.
func (c *Collector) Stop() error {
	c.stopOnce.Do(func() { c.stopErr = c.stop() })
	return c.stopErr
}

func (c *Collector) stop() error {
	select {
	case <-c.exited:
		if c.waitErr != nil {
			return fmt.Errorf("e2e: the collector had already exited: %w", c.waitErr)
		}
		return errors.New("e2e: the collector had already exited")
	default:
	}
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		_ = c.cmd.Process.Kill()
		<-c.exited
		return fmt.Errorf("e2e: SIGTERM failed (%w); killed the collector", err)
	}
	timer := time.NewTimer(c.cfg.StopTimeout)
	defer timer.Stop()
	select {
	case <-c.exited:
		if c.waitErr != nil {
			return fmt.Errorf("e2e: the collector exited with %w after SIGTERM; log:\n%s", c.waitErr, c.logTail())
		}
		return nil
	case <-timer.C:
		_ = c.cmd.Process.Kill()
		<-c.exited
		return fmt.Errorf("e2e: the collector did not stop within %v of SIGTERM and was killed; log:\n%s", c.cfg.StopTimeout, c.logTail())
	}
}

// Exited reports whether the collector process has exited.
func (c *Collector) Exited() bool {
	select {
	case <-c.exited:
		return true
	default:
		return false
	}
}

// HTTPEndpoint returns the OTLP/HTTP receiver's base URL: https://127.0.0.1:port
// with TLS, http://127.0.0.1:port without.
func (c *Collector) HTTPEndpoint() string {
	return c.scheme() + "://127.0.0.1:" + strconv.Itoa(c.ports.http)
}

// GRPCEndpoint returns the OTLP/gRPC receiver's address as a URL, with the
// scheme saying whether it uses TLS.
func (c *Collector) GRPCEndpoint() string {
	return c.scheme() + "://127.0.0.1:" + strconv.Itoa(c.ports.grpc)
}

// MetricsURL returns the URL of the collector's own metrics in the
// Prometheus text format.
func (c *Collector) MetricsURL() string {
	return "http://127.0.0.1:" + strconv.Itoa(c.ports.metrics) + "/metrics"
}

// ConfigPath returns the path of the generated configuration file.
func (c *Collector) ConfigPath() string { return c.configPath }

// LogPath returns the path of the collector's own log (JSON lines).
func (c *Collector) LogPath() string { return c.logPath }

func (c *Collector) scheme() string {
	if c.cfg.TLS != nil {
		return "https"
	}
	return "http"
}
