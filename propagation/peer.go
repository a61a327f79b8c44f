package propagation

import (
	"net"
	"net/netip"
	"strings"
)

// PeerAddr parses the address of a connection peer as net/http gives it in
// Request.RemoteAddr: "ip:port", "[ipv6]:port" or "[ipv6%zone]:port", or a
// bare IP, bracketed or not. IPv4-mapped IPv6 addresses are unmapped, zones
// are kept. Anything else (empty, a host name, a bad port, a Unix socket
// path, garbage) gives the zero Addr,
// which no [Policy] other than [TrustAll] trusts.
func PeerAddr(remoteAddr string) netip.Addr {
	s := strings.TrimSpace(remoteAddr)
	if s == "" {
		return netip.Addr{}
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap()
	}
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		s = s[1 : len(s)-1]
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap()
	}
	return netip.Addr{}
}

// PeerAddrFromNet returns the IP address of a net.Addr, such as a gRPC peer's
// Addr: *net.TCPAddr, *net.UDPAddr and *net.IPAddr directly, others by parsing
// their String form with [PeerAddr]. Nil and non-IP addresses (Unix sockets,
// in-memory listeners) give the zero Addr.
func PeerAddrFromNet(a net.Addr) netip.Addr {
	switch v := a.(type) {
	case nil:
		return netip.Addr{}
	case *net.TCPAddr:
		if v == nil {
			return netip.Addr{}
		}
		return ipAddr(v.IP, v.Zone)
	case *net.UDPAddr:
		if v == nil {
			return netip.Addr{}
		}
		return ipAddr(v.IP, v.Zone)
	case *net.IPAddr:
		if v == nil {
			return netip.Addr{}
		}
		return ipAddr(v.IP, v.Zone)
	}
	return PeerAddr(a.String())
}

// ipAddr converts a net.IP and zone, unmapping IPv4-in-IPv6.
func ipAddr(ip net.IP, zone string) netip.Addr {
	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return netip.Addr{}
	}
	a = a.Unmap()
	if zone != "" && a.Is6() {
		a = a.WithZone(zone)
	}
	return a
}
