"""Network identifiers (spec §3.15).

``kind: ip_address`` — IPv4 (each octet checked, no stray leading zeros) and IPv6 (checked
by ``ipaddress``). A private address (ranges from YAML) is reported as INTERNAL_NETWORK:
it tells nothing about a person but maps the agency's network; a public one as
IP_ADDRESS (personal data when it is a citizen's). Section numbering and versions that
look like addresses (``mục 2.1.3.4``, ``phiên bản 1.2.3.4``, ``v1.2.3.4``, a heading
``1.2.3.4. Phạm vi``) are not addresses; netmasks, ``0.0.0.0`` and loopback are ignored.

``kind: internal_network`` — UNC paths (``\\\\server\\share\\…``), ``file://``/``smb://`` paths,
internal host names (``*.local``, ``*.corp``, ``intranet.*``…) and URLs on them or on a
private address or on a bare one-word host (``http://sharepoint/``), optionally MAC
addresses.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

import regex

from ..textutil import fold, fold_phrase
from .base import RuleRecognizer, Span, register

_IPV4 = regex.compile(
    r"(?<![\w.])(?P<ip>\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?P<cidr>/(?:3[0-2]|[12]?\d)(?!\d))?"
    r"(?!\w|\.\d)")
_IPV6 = regex.compile(
    r"(?<![\w:.])(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)"
    r"(?P<ip>[0-9A-Fa-f:]{2,39}(?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?)"
    r"(?P<cidr>/(?:12[0-8]|1[01]\d|\d{1,2})(?!\d))?(?![\w:]|\.\d)")
# What _IPV6's look-ahead needs, searched cheaply first: most texts have none.
_IPV6_HINT = re.compile(r":[0-9A-Fa-f]{0,4}:")
# Where an _IPV6 match can start: its look-ahead holds there, and its look-behind rules
# out a hex digit before it (so no start hides inside another candidate).
_IPV6_START = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:")
# "1.2.3.4. Nội dung" at the start of a line is a heading number.
_HEADING_AFTER = regex.compile(r"\.\s*\p{L}")
_HEADING_WORD = regex.compile(r"[ \t]+\p{Lu}")
_LINE_LEAD = regex.compile(r"[\s\-–•*#>(\[]*")


def _ipv6_matches(text: str) -> Iterator[regex.Match]:
    """``_IPV6.finditer(text)``, tried only where a match can start: a text with times
    ("11:39:23") has few such places, while the regex's look-arounds cost everywhere."""
    pos = 0
    for candidate in _IPV6_START.finditer(text):
        if candidate.start() < pos:
            continue
        match = _IPV6.match(text, candidate.start())
        if match is not None:
            yield match
            pos = match.end()


def _octets_ok(ip: str) -> bool:
    parts = ip.split(".")
    if any(int(p) > 255 for p in parts):
        return False
    # 192.168.001.010 is a padded address; "1.200.100.000" is money.
    padded = all(len(p) == 3 for p in parts)
    return padded or not any(len(p) > 1 and p[0] == "0" for p in parts)


def _is_netmask(ip: ipaddress.IPv4Address) -> bool:
    value = int(ip)
    inverted = (~value) & 0xFFFFFFFF
    return value != 0 and (inverted & (inverted + 1)) == 0 and ip.packed[0] == 255


@register("ip_address")
class IpAddressRule(RuleRecognizer):
    """Options: ``private_ranges`` (CIDRs), ``private_entity`` / ``private_label``,
    ``ignore`` (addresses), ``numbering_words`` (words before a dotted number that make it a
    section or version number)."""

    OPTIONS = frozenset({"private_ranges", "private_entity", "private_label", "ignore",
                         "numbering_words", "version_words"})

    def setup(self) -> None:
        from ..rules import RulePackError

        opts = self.rule.options
        try:
            self._private = [ipaddress.ip_network(r, strict=False)
                             for r in opts.get("private_ranges") or []]
            self._ignore = {ipaddress.ip_address(a) for a in opts.get("ignore") or []}
        except ValueError as exc:
            raise RulePackError(f"{self.rule.source}: bad address in options ({exc})") from None
        self._private_entity = opts.get("private_entity", "INTERNAL_NETWORK")
        self._private_label = opts.get("private_label", "MẠNG_NỘI_BỘ")
        self.supported_entities = sorted({self.rule.entity, self._private_entity})
        self._numbering = _words_before(opts.get("numbering_words"),
                                        r"\.?\s*(?:so\s*|:\s*)?$")
        # A version may name its product first ("phiên bản ứng dụng 2.4.1.7", JSON
        # "Version": "3.1.0.2"): up to two words, quotes and a colon between.
        self._version = _words_before(
            opts.get("version_words"),
            r"[\"']?(?:\s+[\p{L}\p{N}_\-]+){0,2}\s*[\"']?\s*[:=]?\s*[\"']?$")

    def find(self, text: str) -> Iterator[Span]:
        folded = None
        for pattern, version in ((_IPV4, 4), (_IPV6, 6)):
            if version == 6 and not _IPV6_HINT.search(text):
                continue
            for match in pattern.finditer(text) if version == 4 else _ipv6_matches(text):
                raw = match.group("ip")
                if version == 4 and not _octets_ok(raw):
                    continue
                if version == 4:  # ipaddress refuses padded octets
                    raw = ".".join(str(int(part)) for part in raw.split("."))
                elif "::" not in raw and raw.count(":") < 6:
                    continue  # "11:39:23": an address without "::" has 8 groups (6 + IPv4)
                try:
                    address = ipaddress.ip_address(raw)
                except ValueError:
                    continue
                if address in self._ignore or address.is_unspecified or address.is_loopback:
                    continue
                if version == 4 and _is_netmask(address):
                    continue
                if folded is None:
                    folded = fold(text)
                private = any(address in net for net in self._private)
                if version == 4 and self._is_numbering(text, folded, match, private):
                    continue
                if private:
                    yield Span(match.start(), match.end(), reason=f"ipv{version}:private",
                               entity=self._private_entity, label=self._private_label)
                else:
                    yield Span(match.start(), match.end(), reason=f"ipv{version}")

    def _is_numbering(self, text: str, folded: str, match, private: bool) -> bool:
        start, end = match.start(), match.end()
        line_start = text.rfind("\n", 0, start) + 1
        before = folded[max(line_start, start - 24):start]
        if self._numbering is not None and self._numbering.search(before):
            return True
        if self._version is not None and self._version.search(
                folded[max(line_start, start - 40):start]):
            return True
        # A heading number opens its line: "1.2.3.4. Phạm vi" always; "26.7.1.1 Phạm vi"
        # (no dot) only when it is not a private address ("10.0.0.1 là gateway").
        heading = _HEADING_AFTER.match(text, end) or (
            not private and _HEADING_WORD.match(text, end))
        if heading:
            lead = _LINE_LEAD.match(text, line_start, start)
            return lead is not None and lead.end() == start
        return False


def _words_before(words, tail: str) -> regex.Pattern | None:
    """One of ``words`` (folded), then ``tail``, ending where the number starts."""
    words = sorted({fold_phrase(w).strip() for w in words or []}, key=len, reverse=True)
    if not words:
        return None
    body = "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in words)
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{body})" + tail)


# \\host\share[\…]: a share is required ("\\n" in an escaped string is not a path).
_UNC = regex.compile(r"(?<![\w\\/])\\\\[A-Za-z0-9][\w.$\-]*(?:\\[^\\\r\n\t\"<>|*?]+)+\\?")
_URL = regex.compile(
    r"(?i)(?<![\w.+\-])(?:https?|ftps?|smb|file|nfs|afp|webdav)://"
    r"(?:[^\s/@\"'<>]*@)?(?P<host>\[[0-9A-Fa-f:.]+\]|[^\s/:?#\"'<>\\]*)[^\s\"'<>`]*")
_MAC = regex.compile(
    r"(?<![\w:\-.])(?:[0-9A-Fa-f]{2}([:\-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}"
    r"|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\w:\-]|\.\w)")
# What every MAC address holds, without the look-arounds: a plain ``re`` search for it
# is much cheaper than trying _MAC at every position of a text that has none.
_MAC_CORE = re.compile(
    r"[0-9A-Fa-f]{2}([:\-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}"
    r"|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}")
_TRAIL = ".,;:!?)]}>'\""


@register("internal_network")
class InternalNetworkRule(RuleRecognizer):
    """Options: ``host_suffixes`` (``local``, ``corp``…), ``host_labels`` (a host with one
    of these labels is internal: ``intranet.bo.gov.vn``), ``private_ranges`` (for URL
    hosts), ``mac`` (report MAC addresses)."""

    OPTIONS = frozenset({"host_suffixes", "host_labels", "private_ranges", "mac",
                         "public_single_hosts"})

    def setup(self) -> None:
        opts = self.rule.options
        suffixes = sorted({s.lower().strip(".") for s in opts.get("host_suffixes") or []},
                          key=len, reverse=True)
        labels = sorted({s.lower() for s in opts.get("host_labels") or []}, key=len, reverse=True)
        self._suffixes = tuple("." + s for s in suffixes)
        self._labels = set(labels)
        self._private = [ipaddress.ip_network(r, strict=False)
                         for r in opts.get("private_ranges") or []]
        self._mac = bool(opts.get("mac", False))
        self._public_single = {h.lower() for h in opts.get("public_single_hosts") or []}
        parts = []
        if suffixes:
            parts.append(r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+(?:"
                         + "|".join(regex.escape(s) for s in suffixes) + ")")
        if labels:
            label = "|".join(regex.escape(s) for s in labels)
            parts.append(rf"(?:[A-Za-z0-9\-]+\.)*(?:{label})(?:\.[A-Za-z0-9\-]+)+")
        self._host = regex.compile(
            r"(?i)(?<![\w.@/\\\-])(?:" + "|".join(parts) + r")(?![\w\-]|\.[A-Za-z0-9])"
        ) if parts else None
        # Every host match holds ".suffix" (ending the match) or "label.": a text without
        # either is not scanned with the host regex, whose look-behind costs at every
        # position.
        hints = []
        if suffixes:
            hints.append(r"\.(?:" + "|".join(regex.escape(s) for s in suffixes)
                         + r")(?![\w\-]|\.[A-Za-z0-9])")
        if labels:
            hints.append(r"(?:" + "|".join(regex.escape(s) for s in labels) + r")\.")
        self._host_hint = regex.compile(r"(?i)" + "|".join(hints)) if hints else None

    def find(self, text: str) -> Iterator[Span]:
        for match in _UNC.finditer(text):
            end = match.end()
            last_sep = text.rfind("\\", match.start(), end)
            tail = text[last_sep + 1:end]
            cut = regex.search(r"\s", tail)
            if cut is not None:  # the last segment runs into prose: stop at its first space
                end = last_sep + 1 + cut.start()
            end = self._trim(text, match.start(), end)
            if end - match.start() > 3:
                yield Span(match.start(), end, reason="unc", has_context=True)
        for match in _URL.finditer(text):
            host = match.group("host").strip("[]").lower()
            if self._internal_host(host, match.group().lower()):
                yield Span(match.start(), self._trim(text, match.start(), match.end()),
                           reason="url:internal-host", has_context=True)
        if self._host is not None and self._host_hint.search(text):
            for match in self._host.finditer(text):
                yield Span(match.start(), match.end(), reason="host:internal", has_context=True)
        if self._mac and _MAC_CORE.search(text):
            for match in _MAC.finditer(text):
                compact = regex.sub(r"[^0-9A-Fa-f]", "", match.group()).lower()
                if compact in ("000000000000", "ffffffffffff"):
                    continue
                yield Span(match.start(), match.end(), score=0.6, reason="mac")

    def _internal_host(self, host: str, url: str) -> bool:
        if not host:
            return False  # file:///C:/… is a local file, not the network
        if url.startswith(("smb:", "file:", "nfs:", "afp:")):
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            address = None
        if address is not None:
            return any(address in net for net in self._private)
        if "." not in host:
            return host not in self._public_single
        if host.endswith(self._suffixes):
            return True
        return any(label in self._labels for label in host.split("."))

    @staticmethod
    def _trim(text: str, start: int, end: int) -> int:
        while end > start and text[end - 1] in _TRAIL:
            end -= 1
        return end
