package propagation_test

import (
	"net"
	"net/netip"
	"testing"

	"github.com/otelkit/otelkit/propagation"
)

func TestPeerAddr(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" means the zero Addr
	}{
		{"192.0.2.1:1234", "192.0.2.1"},
		{"192.0.2.1", "192.0.2.1"},
		{"[2001:db8::1]:443", "2001:db8::1"},
		{"[2001:db8::1]", "2001:db8::1"},
		{"2001:db8::1", "2001:db8::1"},
		{"[fe80::1%eth0]:80", "fe80::1%eth0"},
		{"fe80::1%eth0", "fe80::1%eth0"},
		{"[::ffff:192.0.2.1]:80", "192.0.2.1"},
		{" 10.0.0.1:80 ", "10.0.0.1"},
		{"", ""},
		{"example.com:80", ""},
		{"/var/run/app.sock", ""},
		{"@", ""},
		{"not an address", ""},
		{"999.1.1.1:80", ""},
		{"[::1", ""},
		{"1.2.3.4:99999", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := propagation.PeerAddr(tt.in)
			if tt.want == "" {
				if got.IsValid() {
					t.Errorf("PeerAddr(%q) = %v, want the zero Addr", tt.in, got)
				}
				return
			}
			if got.String() != tt.want {
				t.Errorf("PeerAddr(%q) = %v, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestPeerAddrFromNet(t *testing.T) {
	var nilTCP *net.TCPAddr
	tests := []struct {
		name string
		in   net.Addr
		want string
	}{
		{name: "tcp4", in: &net.TCPAddr{IP: net.ParseIP("192.0.2.1"), Port: 80}, want: "192.0.2.1"},
		{name: "tcp6 zone", in: &net.TCPAddr{IP: net.ParseIP("fe80::1"), Zone: "eth0"}, want: "fe80::1%eth0"},
		{name: "udp", in: &net.UDPAddr{IP: net.ParseIP("2001:db8::2")}, want: "2001:db8::2"},
		{name: "ip", in: &net.IPAddr{IP: net.IPv4(10, 0, 0, 1)}, want: "10.0.0.1"},
		{name: "unix", in: &net.UnixAddr{Name: "/tmp/sock", Net: "unix"}},
		{name: "nil", in: nil},
		{name: "typed nil", in: nilTCP},
		{name: "tcp without ip", in: &net.TCPAddr{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := propagation.PeerAddrFromNet(tt.in)
			if tt.want == "" {
				if got.IsValid() {
					t.Errorf("PeerAddrFromNet = %v, want the zero Addr", got)
				}
				return
			}
			if got != netip.MustParseAddr(tt.want) {
				t.Errorf("PeerAddrFromNet = %v, want %s", got, tt.want)
			}
		})
	}
}
