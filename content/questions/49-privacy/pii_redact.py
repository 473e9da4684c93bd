"""A regex + checksum PII redactor for prompts and logs (standard library only).

Regexes find candidates; a checksum (Luhn, for payment card numbers) rejects
digit runs that merely look like cards, such as order IDs. Real systems add
NER models for names and addresses (e.g. Microsoft Presidio); regexes alone
miss free-text PII, which is why scrubbing reduces but does not remove leakage.
"""
import re

EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
PHONE = re.compile(r"(?<!\d)(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)|\d{2,4})[ .-]?\d{3,4}[ .-]?\d{3,4}(?!\d)")
CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")      # 13-19 digits, spaces/dashes allowed


def luhn_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:                       # double every second digit from the right
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def redact(text: str) -> str:
    text = EMAIL.sub("[EMAIL]", text)
    # Cards first. Long digit runs that fail Luhn are set aside so that the phone
    # pattern cannot redact pieces of them, then restored unchanged.
    kept = []

    def card(m):
        if luhn_valid(m.group()):
            return "[CARD]"
        kept.append(m.group())
        return f"\x00{len(kept) - 1}\x00"

    text = CARD.sub(card, text)
    text = PHONE.sub("[PHONE]", text)
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], text)


# Published test card numbers (payment-processor sandboxes), independent of our implementation.
VALID = ["4111111111111111", "5555555555554444", "378282246310005", "6011111111111117"]
for n in VALID:
    assert luhn_valid(n), n
    bad = n[:-1] + str((int(n[-1]) + 1) % 10)       # change the check digit: must fail
    assert not luhn_valid(bad), bad
# any single-digit error is caught (most adjacent swaps too, but not 09 <-> 90)
assert not luhn_valid("4111111111111121")
assert not luhn_valid("4111111111111161")

cases = [
    ("Card 4111 1111 1111 1111 exp 12/27", "Card [CARD] exp 12/27"),
    ("Order 4111-1111-1111-1112 shipped", "Order 4111-1111-1111-1112 shipped"),  # fails Luhn: kept
    ("Mail jane.doe@example.org now", "Mail [EMAIL] now"),
    ("Call +44 20 7946 0958 today", "Call [PHONE] today"),
    ("Amex 3782-822463-10005 on file", "Amex [CARD] on file"),
    ("Version 3.10 released in 2024", "Version 3.10 released in 2024"),           # no false positive
]
for raw, want in cases:
    got = redact(raw)
    assert got == want, f"{raw!r}: got {got!r}, want {want!r}"

leaky = "Patient John Smith, born 3 May 1961, lives at 12 Elm Street"
assert redact(leaky) == leaky        # names, dates, addresses: regexes miss them, use NER too
print(f"Luhn: {len(VALID)} published test numbers accepted, their check-digit variants rejected")
print(f"redaction: {len(cases)} cases pass; free-text PII (names, addresses) is NOT caught by regex")
