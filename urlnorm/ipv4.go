package urlnorm

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"
)

// ParseIPv4Host interprets a URL host the way browsers and inet_aton do
// (the WHATWG URL "IPv4 parser"): one to four dot-separated parts, each
// decimal, octal (leading 0) or hexadecimal (0x), the last part filling the
// remaining bytes. So "2130706433", "0x7f.1", "017700000001" and "127.1" are
// all 127.0.0.1. Parsing them here keeps such hosts away from DNS, whose
// resolver might interpret them the same way and so bypass the guard.
//
// isIP is false for ordinary domain names. A host whose last label is a
// number but which is not a valid IPv4 address ("1.2.3.4.5", "256.0.0.1",
// "example.09") is an error, as in browsers.
func ParseIPv4Host(host string) (addr netip.Addr, isIP bool, err error) {
	parts := strings.Split(host, ".")
	if len(parts) > 1 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1] // a trailing dot ends the host, not a part
	}
	if !looksNumeric(parts[len(parts)-1]) {
		return netip.Addr{}, false, nil
	}
	if len(parts) > 4 {
		return netip.Addr{}, true, errors.New("invalid IPv4 address: more than four parts")
	}
	var nums []uint64
	for _, p := range parts {
		n, err := parseIPv4Part(p)
		if err != nil {
			return netip.Addr{}, true, err
		}
		nums = append(nums, n)
	}
	last := nums[len(nums)-1]
	if last >= 1<<(8*(5-len(nums))) {
		return netip.Addr{}, true, errors.New("invalid IPv4 address: number out of range")
	}
	v := last
	for i, n := range nums[:len(nums)-1] {
		if n > 255 {
			return netip.Addr{}, true, errors.New("invalid IPv4 address: part above 255")
		}
		v |= n << (8 * (3 - i))
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true, nil
}

// looksNumeric reports whether a label is all decimal digits or a 0x-prefixed
// hexadecimal number: the WHATWG "ends in a number" test.
func looksNumeric(label string) bool {
	if label == "" {
		return false
	}
	if strings.HasPrefix(label, "0x") || strings.HasPrefix(label, "0X") {
		return strings.Trim(label[2:], "0123456789abcdefABCDEF") == ""
	}
	return strings.Trim(label, "0123456789") == ""
}

func parseIPv4Part(p string) (uint64, error) {
	if p == "" {
		return 0, errors.New("invalid IPv4 address: empty part")
	}
	base := 10
	switch {
	case strings.HasPrefix(p, "0x") || strings.HasPrefix(p, "0X"):
		base, p = 16, p[2:]
		if p == "" {
			return 0, nil // "0x" alone is zero, as in browsers
		}
	case len(p) > 1 && p[0] == '0':
		base, p = 8, p[1:]
	}
	n, err := strconv.ParseUint(p, base, 64)
	if err != nil || n > 1<<32-1 {
		return 0, errors.New("invalid IPv4 address: bad number " + strconv.Quote(p))
	}
	return n, nil
}
