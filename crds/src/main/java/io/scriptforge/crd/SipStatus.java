package io.scriptforge.crd;

import java.util.regex.Matcher;

/** A SIP-style status "NNN Reason", as scripts throw it and as timeoutAction declares it. */
public record SipStatus(int code, String reason) {
    /** One line: the reason travels in a header. */
    public static final String PATTERN = "^[1-6][0-9]{2} [^\\s][^\\r\\n]*$";

    private static final java.util.regex.Pattern FORM =
            java.util.regex.Pattern.compile("^([1-6][0-9]{2}) ([^\\s][^\\r\\n]*)$");

    public static final SipStatus GATEWAY_TIMEOUT = new SipStatus(504, "Gateway Timeout");

    /** @throws IllegalArgumentException naming the value and the accepted form */
    public static SipStatus parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text
                            + "' is not a status: use \"<code> <reason>\" with a code 100-699, e.g. \"503 Service Unavailable\"");
        }
        return new SipStatus(Integer.parseInt(m.group(1)), m.group(2));
    }

    /** HTTP has no codes beyond 599 and below 400 is no error: those travel as 422 with the real code in the body. */
    public int httpStatus() {
        return code >= 400 && code <= 599 ? code : 422;
    }

    @Override
    public String toString() {
        return code + " " + reason;
    }
}
