package httpx

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"tili/internal/service"
)

// ClientIP returns the address of the client of the request behind ctx.
func ClientIP(ctx context.Context) string { return service.ClientIP(ctx) }

// clientIP finds the client's address: the connection's peer, or, when the peer is one of the trusted
// proxies, the right-most address in X-Forwarded-For that is not itself a trusted proxy. Without trusted
// proxies X-Forwarded-For is ignored, so nobody can pick their own address to dodge throttling.
func clientIP(next http.Handler, trusted []netip.Prefix) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := peer(r.RemoteAddr)
		if isTrusted(ip, trusted) {
			hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
			for i := len(hops) - 1; i >= 0; i-- {
				hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
				if err != nil {
					break
				}
				ip = hop.Unmap()
				if !isTrusted(ip, trusted) {
					break
				}
			}
		}
		next.ServeHTTP(w, r.WithContext(service.WithClientIP(r.Context(), ip.String())))
	})
}

func peer(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

func isTrusted(ip netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// ParseProxies reads a comma-separated list of addresses or CIDR ranges ("10.0.0.0/8, 127.0.0.1").
func ParseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return nil, err
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
