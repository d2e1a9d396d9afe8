package urlnorm

import (
	"net/netip"
	"testing"
)

func TestParseIPv4Host(t *testing.T) {
	tests := []struct {
		host    string
		want    string // "" when not an IP
		wantErr bool
	}{
		{host: "127.0.0.1", want: "127.0.0.1"},
		{host: "2130706433", want: "127.0.0.1"},
		{host: "0x7f.1", want: "127.0.0.1"},
		{host: "0X7F.0.0.1", want: "127.0.0.1"},
		{host: "017700000001", want: "127.0.0.1"},
		{host: "0177.0.0.01", want: "127.0.0.1"},
		{host: "127.1", want: "127.0.0.1"},
		{host: "127.0.1", want: "127.0.0.1"},
		{host: "0x7f000001", want: "127.0.0.1"},
		{host: "10.0x10000", want: "10.1.0.0"},
		{host: "169.254.43518", want: "169.254.169.254"},
		{host: "127.0.0.1.", want: "127.0.0.1"},
		{host: "0", want: "0.0.0.0"},
		{host: "0x", want: "0.0.0.0"},
		{host: "4294967295", want: "255.255.255.255"},
		{host: "example.com"},
		{host: "1.example"},
		{host: "0x7f.example"},
		{host: "xn--bcher-kva.example"},
		{host: "4294967296", wantErr: true},
		{host: "1.2.3.4.5", wantErr: true},
		{host: "256.0.0.1", wantErr: true},
		{host: "1.2.3.256", wantErr: true},
		{host: "1.2.65536", wantErr: true},
		{host: "09", wantErr: true},
		{host: "example.09", wantErr: true},
		{host: "1..2", wantErr: true},
		{host: "0x1ffffffffffffffffffff", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			addr, isIP, err := ParseIPv4Host(tt.host)
			if tt.wantErr {
				if err == nil || !isIP {
					t.Fatalf("ParseIPv4Host(%q) = %v, %v, %v; want an error", tt.host, addr, isIP, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseIPv4Host(%q): %v", tt.host, err)
			}
			if tt.want == "" {
				if isIP {
					t.Fatalf("ParseIPv4Host(%q) = %v; want a domain name", tt.host, addr)
				}
				return
			}
			if !isIP || addr != netip.MustParseAddr(tt.want) {
				t.Fatalf("ParseIPv4Host(%q) = %v, %v; want %s", tt.host, addr, isIP, tt.want)
			}
		})
	}
}
