package desk

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/godevcommunity/newsletter/extractor"
	"github.com/godevcommunity/newsletter/fetcher"
	"github.com/godevcommunity/newsletter/summarizer"
)

// reason is a reason a submission fails, as the package that raises it
// writes it (the English stays in the logs, the API's last_error and the
// CLI), with the sentence an editor reads on the desk.
type reason struct{ english, korean string }

// failureReasons are the reasons of the fetcher, the extractor and the
// summarizer. The first found in the message wins, so the more specific
// come first; a status code and a missing host, which carry a value, are
// read before them.
var failureReasons = []reason{
	{fetcher.ErrRefusedAddress.Error(), "내부망이나 이 서버 자신의 주소라서 가져오지 않습니다."},
	{fetcher.ErrBodyTooLarge.Error(), "페이지가 너무 커서 가져오지 않았습니다."},
	{fetcher.ErrUnsupportedType.Error(), "읽을 수 있는 형식(HTML, 텍스트, 마크다운, PDF)이 아닙니다."},
	{fetcher.ErrTooManyRedirects.Error(), "리디렉션이 너무 많습니다."},
	{fetcher.ErrRedirectLoop.Error(), "리디렉션이 제자리를 돕니다."},
	{fetcher.ErrBadResponse.Error(), "원문 서버의 응답을 쓸 수 없습니다."},
	{"redirect to an unparsable location", "원문 서버가 알아볼 수 없는 주소로 보냈습니다."},
	{"response headers larger than", "원문 서버의 응답 헤더가 너무 큽니다."},
	{extractor.ErrEncryptedPDF.Error(), "암호가 걸린 PDF입니다."},
	{extractor.ErrScannedPDF.Error(), "글자 층이 없는 PDF입니다(스캔한 문서일 수 있습니다)."},
	{extractor.ErrMalformedPDF.Error(), "깨진 PDF입니다."},
	{extractor.ErrPDFTimeout.Error(), "PDF를 읽는 데 너무 오래 걸렸습니다."},
	{extractor.ErrNoContent.Error(), "페이지에서 본문을 찾지 못했습니다."},
	{"broke the guardrails", "모델의 답이 다시 물어도 규칙에 맞지 않았습니다."},
	{"the model blocked the prompt", "모델이 이 글의 요약 요청을 거부했습니다."},
	{"the model stopped the answer", "모델이 답을 도중에 멈췄습니다."},
	{summarizer.ErrTruncated.Error(), "모델의 답이 길이 제한에서 잘렸습니다."},
	{summarizer.ErrInvalidResponse.Error(), "모델의 답이 약속한 형식이 아닙니다."},
	{summarizer.ErrEmptyInput.Error(), "본문이 비어 있습니다."},
	{summarizer.ErrQuotaExhausted.Error(), "모델 제공자의 할당량을 다 썼습니다."},
	{summarizer.ErrKeyRefused.Error(), "모델 제공자가 API 키를 거부했습니다."},
	{summarizer.ErrUnknownModel.Error(), "설정한 모델을 제공자가 모릅니다."},
	{summarizer.ErrRefusedSetting.Error(), "모델 서버가 설정값 하나를 받지 않습니다. 설정을 고쳐 주세요."},
}

// fetchReasons are the fetcher's reasons that read the same as another
// client's (a model provider's connection can be refused too): they are
// the fetcher's only in a message the fetcher wrote.
var fetchReasons = []reason{
	{"connection refused", "원문 서버가 연결을 거부했습니다."},
	{"connection reset by the server", "원문 서버가 연결을 끊었습니다."},
	{"server closed the connection before answering", "원문 서버가 답하기 전에 연결을 닫았습니다."},
	{"TLS certificate rejected", "원문 서버의 TLS 인증서를 믿을 수 없습니다."},
	{"TLS handshake timed out", "원문 서버와 TLS 연결을 맺지 못했습니다(시간 초과)."},
	{"no response headers within", "원문 서버가 제때 답하지 않았습니다."},
	{"connection timed out", "원문 서버에 연결하지 못했습니다(시간 초과)."},
	{"timed out after", "원문을 가져오는 시간이 다 되었습니다."},
}

// hostNotFound and statusCode read the fetcher's two reasons that carry a
// value: a host that does not exist, and a status code that is not 2xx.
var (
	hostNotFound = regexp.MustCompile(`host (\S+) not found`)
	statusCode   = regexp.MustCompile(`\((\d{3}) status code\)`)
)

// FailureKorean says in Korean why a submission failed, from the message
// recorded for it (its last_error); "" when the reason is not one it knows,
// and the desk then shows the message as written.
func FailureKorean(msg string) string {
	if msg == "" {
		return ""
	}
	if m := statusCode.FindStringSubmatch(msg); m != nil {
		code, _ := strconv.Atoi(m[1])
		return statusKorean(code)
	}
	if m := hostNotFound.FindStringSubmatch(msg); m != nil {
		return Josa("호스트 "+m[1], "을") + " 찾을 수 없습니다. 주소를 확인해 주세요."
	}
	reasons := failureReasons
	if strings.HasPrefix(msg, "fetcher: ") {
		reasons = append(slices.Clip(failureReasons), fetchReasons...)
	}
	for _, r := range reasons {
		if strings.Contains(msg, r.english) {
			return r.korean
		}
	}
	return ""
}

// statusKorean is the desk's sentence for an answer of status code.
func statusKorean(code int) string {
	switch {
	case code == 401:
		return "원문이 로그인을 요구합니다(401)."
	case code == 403:
		return "원문 서버가 접근을 막았습니다(403)."
	case code == 404:
		return "원문 페이지가 없습니다(404)."
	case code == 410:
		return "원문 페이지가 지워졌습니다(410)."
	case code == 408 || code == 429:
		return fmt.Sprintf("원문 서버가 지금은 답하지 않겠다고 했습니다(%d).", code)
	case code == 451:
		return "법적인 이유로 열 수 없는 페이지입니다(451)."
	case code >= 500:
		return fmt.Sprintf("원문 서버에 문제가 있습니다(%d).", code)
	case code >= 300 && code < 400:
		return fmt.Sprintf("원문 서버가 갈 곳 없는 리디렉션으로 답했습니다(%d).", code)
	}
	return fmt.Sprintf("원문 서버가 요청을 거절했습니다(%d).", code)
}
