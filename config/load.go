package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// EnvPrefix starts every environment variable that sets a key:
// fetcher.max_body_bytes is NEWSLETTER_FETCHER_MAX_BODY_BYTES.
const EnvPrefix = "NEWSLETTER_"

// envAliases are the conventional variables honoured besides NEWSLETTER_*.
// The NEWSLETTER_* form wins when both are set.
var envAliases = map[string][]string{
	"gemini.api_key":           {"GEMINI_API_KEY", "GOOGLE_API_KEY"},
	"gemini.base_url":          {"GOOGLE_GEMINI_BASE_URL"},
	"openai.api_key":           {"OPENAI_API_KEY"},
	"openai.base_url":          {"OPENAI_BASE_URL"},
	"fetcher.github_token":     {"GITHUB_TOKEN"},
	"publisher.hashnode.token": {"HASHNODE_PAT"},
	"publisher.listmonk.token": {"LISTMONK_TOKEN"},
}

// Load returns the defaults overridden by the YAML file at path (skipped when
// path is empty) and then by the environment, as looked up by getenv.
func Load(path string, getenv func(string) (string, bool)) (Config, error) {
	cfg := Default()
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return cfg, fmt.Errorf("config: %w", err)
		}
		if err := decodeYAML(b, &cfg); err != nil {
			return cfg, fmt.Errorf("config %s: %w", path, err)
		}
	}
	if getenv != nil {
		if err := applyEnv(&cfg, getenv); err != nil {
			return cfg, fmt.Errorf("config: %w", err)
		}
	}
	return cfg, nil
}

func decodeYAML(b []byte, cfg *Config) error {
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return err
	}
	if len(root.Content) == 0 {
		return nil // an empty file
	}
	// Every mistake a user can fix by reading the file, at once and in the
	// words of the keys they wrote, before the decoder's Go-flavoured ones.
	if err := errors.Join(checkNode(root.Content[0], reflect.TypeOf(*cfg), "")...); err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	err := dec.Decode(cfg)
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// durationType is the type of the keys written as durations ("30s").
var durationType = reflect.TypeOf(time.Duration(0))

// checkNode checks the YAML mapping n against the struct type t, whose
// keys start with prefix ("fetcher."): each key must be one of t's, with
// "did you mean" for a near miss, and a duration must have its unit.
func checkNode(n *yaml.Node, t reflect.Type, prefix string) []error {
	if n.Kind != yaml.MappingNode || t.Kind() != reflect.Struct {
		return nil
	}
	fields := map[string]reflect.Type{}
	known := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		if name := yamlName(t.Field(i)); name != "" && name != "-" {
			fields[name], known[name] = t.Field(i).Type, true
		}
	}
	var errs []error
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind == yaml.AliasNode && v.Alias != nil {
			v = v.Alias
		}
		if k.Tag == "!!merge" { // "<<: *defaults": the decoder checks what it merges
			continue
		}
		ft, ok := fields[k.Value]
		switch {
		case !ok:
			msg := fmt.Sprintf("line %d: unknown key %q", k.Line, k.Value)
			if prefix != "" {
				msg += fmt.Sprintf(" in section %q", strings.TrimSuffix(prefix, "."))
			}
			if near := nearest(k.Value, known); near != "" {
				msg += fmt.Sprintf("; did you mean %q?", near)
			}
			errs = append(errs, errors.New(msg))
		case ft == durationType && v.Kind == yaml.ScalarNode && (v.Tag == "!!int" || v.Tag == "!!float"):
			errs = append(errs, fmt.Errorf("line %d: %s%s: %s is a number, not a duration; write it with its unit, e.g. %q",
				v.Line, prefix, k.Value, v.Value, v.Value+"s"))
		case ft.Kind() == reflect.Struct && ft != durationType:
			errs = append(errs, checkNode(v, ft, prefix+k.Value+".")...)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct && v.Kind == yaml.SequenceNode:
			for j, item := range v.Content {
				errs = append(errs, checkNode(item, ft.Elem(), fmt.Sprintf("%s%s[%d].", prefix, k.Value, j))...)
			}
		}
	}
	return errs
}

// Field is one configuration key with its current value.
type Field struct {
	Key    string // dotted YAML key, e.g. "fetcher.timeout"
	Env    string // NEWSLETTER_* variable
	Secret bool
	value  reflect.Value
}

// Fields lists every key of cfg in declaration order; a struct inside a
// section is a group of keys ("publisher.hashnode.endpoint").
func Fields(cfg *Config) []Field {
	return appendFields(nil, "", reflect.ValueOf(cfg).Elem())
}

func appendFields(out []Field, prefix string, v reflect.Value) []Field {
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		key := prefix + yamlName(f)
		fv := v.Field(i)
		if fv.Kind() == reflect.Struct && fv.Type() != reflect.TypeOf(time.Duration(0)) {
			out = appendFields(out, key+".", fv)
			continue
		}
		out = append(out, Field{
			Key:    key,
			Env:    EnvPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_")),
			Secret: f.Tag.Get("secret") == "true",
			value:  fv,
		})
	}
	return out
}

func yamlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return name
}

// String returns the field's value as it would be written in YAML or the
// environment; secrets are masked.
func (f Field) String() string {
	if f.Secret {
		if f.value.Len() == 0 { // a string or a list
			return ""
		}
		return "********"
	}
	switch v := f.value.Interface().(type) {
	case time.Duration:
		return v.String()
	case []string:
		return strings.Join(v, ",")
	case []int:
		parts := make([]string, len(v))
		for i, n := range v {
			parts[i] = strconv.Itoa(n)
		}
		return strings.Join(parts, ",")
	default:
		return fmt.Sprint(v)
	case []Source:
		names := make([]string, len(v))
		for i, s := range v {
			names[i] = s.Name
		}
		return strings.Join(names, ",")
	}
}

// FileOnly reports whether the field is a list of settings (sources),
// which only the configuration file can set.
func (f Field) FileOnly() bool {
	return f.value.Kind() == reflect.Slice && f.value.Type().Elem().Kind() == reflect.Struct
}

// IsBool reports whether the field is a boolean.
func (f Field) IsBool() bool { return f.value.Kind() == reflect.Bool }

// Set parses s into the field.
func (f Field) Set(s string) error {
	v := f.value
	switch v.Interface().(type) {
	case time.Duration:
		d, err := time.ParseDuration(s)
		if _, nerr := strconv.ParseFloat(s, 64); err != nil && nerr == nil { // "30": 30 what?
			return fmt.Errorf("%s: invalid duration %q: a number needs its unit, e.g. %q", f.Key, s, s+"s")
		}
		if err != nil {
			return fmt.Errorf("%s: invalid duration %q", f.Key, s)
		}
		v.SetInt(int64(d))
		return nil
	}
	switch v.Kind() {
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Struct {
			return fmt.Errorf("%s: a list of settings is written in the configuration file, not in %s", f.Key, f.Env)
		}
		var list []string
		for _, item := range strings.Split(s, ",") {
			if item = strings.TrimSpace(item); item != "" {
				list = append(list, item)
			}
		}
		if v.Type().Elem().Kind() == reflect.Int {
			ints := make([]int, 0, len(list))
			for _, item := range list {
				n, err := strconv.Atoi(item)
				if err != nil {
					return fmt.Errorf("%s: invalid integer %q in the list", f.Key, item)
				}
				ints = append(ints, n)
			}
			v.Set(reflect.ValueOf(ints))
			return nil
		}
		v.Set(reflect.ValueOf(list))
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("%s: invalid boolean %q", f.Key, s)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("%s: invalid integer %q", f.Key, s)
		}
		v.SetInt(n)
	case reflect.Float64:
		n, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("%s: invalid number %q", f.Key, s)
		}
		v.SetFloat(n)
	default:
		return fmt.Errorf("%s: unsupported type %s", f.Key, v.Type())
	}
	return nil
}

// Lookup returns the field with the dotted key.
func Lookup(cfg *Config, key string) (Field, bool) {
	for _, f := range Fields(cfg) {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

func applyEnv(cfg *Config, getenv func(string) (string, bool)) error {
	for _, f := range Fields(cfg) {
		names := append([]string{f.Env}, envAliases[f.Key]...)
		for _, name := range names {
			s, ok := getenv(name)
			if !ok || s == "" {
				continue
			}
			if err := f.Set(s); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			break
		}
	}
	return nil
}

// UnknownEnv returns a warning for each NEWSLETTER_* variable in environ
// that looks like a misspelt configuration key ("did you mean ..."). Other
// unknown NEWSLETTER_* variables are not this program's: Kubernetes, for
// one, gives every container of a Service named newsletter
// NEWSLETTER_PORT, NEWSLETTER_SERVICE_HOST, NEWSLETTER_PORT_8080_TCP_ADDR
// and the like. Nothing in the environment is ever fatal but a value that
// does not parse (see Load).
func UnknownEnv(environ []string) []string {
	known := map[string]bool{EnvPrefix + "CONFIG": true}
	var cfg Config
	for _, f := range Fields(&cfg) {
		known[f.Env] = true
	}
	var warnings []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, EnvPrefix) || known[name] || serviceLink(name) {
			continue
		}
		if near := nearest(name, known); near != "" {
			warnings = append(warnings, fmt.Sprintf("environment variable %s is not a configuration key; did you mean %s?", name, near))
		}
	}
	return warnings
}

// serviceLink reports whether name is one of the variables Kubernetes (and
// Docker links before it) set for a service named newsletter.
func serviceLink(name string) bool {
	rest := strings.TrimPrefix(name, EnvPrefix)
	return rest == "PORT" || strings.HasPrefix(rest, "PORT_") ||
		rest == "SERVICE_HOST" || rest == "SERVICE_PORT" || strings.HasPrefix(rest, "SERVICE_PORT_")
}

// nearest returns the known name within two edits of name, "" when none.
func nearest(name string, known map[string]bool) string {
	best, bestDist := "", 3
	for k := range known {
		if d := editDistance(name, k, 3); d < bestDist || (d == bestDist && d < 3 && k < best) {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, or limit when it is
// at least limit.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit)
}
