//! The SCIM filter language (RFC 7644 §3.4.2.2) and the `path` of a PATCH operation
//! (§3.5.2), parsed into a small tree that the SQL compiler walks. Pure: no I/O and nothing of
//! the crate, so that hostile text can be thrown at it in unit tests alone.
//!
//! Hostile input is bounded before any work grows with it: a text longer than
//! [`MAX_FILTER_LEN`] is refused unread, a nesting level is counted *before* the parser
//! recurses into it ([`MAX_DEPTH`]), and a comparison is counted before it is built
//! ([`MAX_TERMS`]). `and` and `or` chains are loops, not recursion. The work is therefore
//! linear in the input, the stack at most a few frames per nesting level, and the tree at most
//! [`MAX_TERMS`] comparisons.
//!
//! Where the RFC's ABNF is stricter than clients, or silent, this parser decides so:
//! - Spaces: one or more ASCII spaces wherever the ABNF has `SP`, none needed next to a
//!   quote or a parenthesis (`userName eq"x"`, `a pr and(b pr)`), any number inside
//!   parentheses and brackets and around the whole text. An attribute touches its `[`, as in
//!   the ABNF. Tabs, newlines and other control characters are refused outside strings.
//! - `not` needs its parenthesised filter (`not (a pr)`), with or without a space before `(`;
//!   `and`, `or` and `not` are therefore never read as attribute names.
//! - Names, operators and `and`/`or`/`not` are case-insensitive; the text is kept as written
//!   and [`AttrPath::is`] compares it ignoring ASCII case. `true`, `false` and `null` follow
//!   JSON and are lower case only.
//! - A value filter (`emails[...]`) names the sub-attributes of its attribute alone (`type`,
//!   not `emails.type` or a schema URN) and holds no other value filter, per RFC 7644 erratum
//!   4690 and RFC 7643 §2.3.8 (sub-attributes are never complex).
//! - A string may not hold NUL, even escaped as `\u0000`: no SCIM attribute holds one and
//!   PostgreSQL text refuses it.

use std::fmt;

/// The longest filter or path read, in bytes. Real filters are under a few hundred bytes; a
/// PATCH path is shorter still.
pub const MAX_FILTER_LEN: usize = 4096;

/// The deepest nesting read: each `( … )`, `not ( … )` and `attr[ … ]` opens one level.
pub const MAX_DEPTH: usize = 16;

/// The most comparisons and presence tests (`attr op value`, `attr pr`) in one filter.
pub const MAX_TERMS: usize = 64;

/// The SCIM error type (RFC 7644 §3.12) of a filter that does not parse, and of a problem
/// inside the brackets of a PATCH path (the RFC's table lists "PATCH (Path Filter)" there).
pub const INVALID_FILTER: &str = "invalidFilter";

/// The SCIM error type of a PATCH path that does not parse outside its brackets.
pub const INVALID_PATH: &str = "invalidPath";

/// The longest piece of the input quoted in an error message, in characters.
const EXCERPT: usize = 32;

/// A parsed filter. Parentheses leave no node: they only shape the tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    /// `attrPath op value`.
    Compare {
        path: AttrPath,
        op: CompareOp,
        value: Value,
    },
    /// `attrPath pr`: the attribute has a value that is not null or empty.
    Present(AttrPath),
    /// `attrPath[filter]`: one value of a multi-valued (or complex) attribute matches
    /// `filter` as a whole. The paths inside `filter` name sub-attributes of `path` by their
    /// name alone: their `schema` and `sub` are always `None`.
    ValuePath {
        path: AttrPath,
        filter: Box<Filter>,
    },
}

/// `[schema ":"] name ["." sub]`: `userName`, `name.familyName`,
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`. The text is
/// kept as written; names are case-insensitive (RFC 7643 §2.1), so compare them with
/// [`AttrPath::is`] and [`AttrPath::schema_is`], not `==`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrPath {
    /// The schema URN before the attribute name, without its last `:`.
    pub schema: Option<String>,
    pub name: String,
    pub sub: Option<String>,
}

impl AttrPath {
    /// Whether this path names attribute `name` and sub-attribute `sub`, ignoring ASCII case
    /// (attribute names are ASCII). The schema is not compared: see [`AttrPath::schema_is`].
    pub fn is(&self, name: &str, sub: Option<&str>) -> bool {
        self.name.eq_ignore_ascii_case(name)
            && match (&self.sub, sub) {
                (Some(mine), Some(theirs)) => mine.eq_ignore_ascii_case(theirs),
                (None, None) => true,
                _ => false,
            }
    }

    /// Whether the path is the whole of schema `urn`, an extension's object: its URN parses as
    /// an attribute of the URN's prefix (`urn:…:2.0:User` is `User` of `urn:…:2.0`).
    pub fn is_schema(&self, urn: &str) -> bool {
        self.sub.is_none()
            && self.schema.as_deref().is_some_and(|schema| {
                urn.len() == schema.len() + 1 + self.name.len()
                    && format!("{schema}:{}", self.name).eq_ignore_ascii_case(urn)
            })
    }

    /// Whether the path is prefixed with schema `urn`, ignoring ASCII case. `false` for a
    /// path without a schema, which the caller resolves to the resource's core schema.
    pub fn schema_is(&self, urn: &str) -> bool {
        self.schema
            .as_deref()
            .is_some_and(|schema| schema.eq_ignore_ascii_case(urn))
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(schema) = &self.schema {
            write!(f, "{schema}:")?;
        }
        f.write_str(&self.name)?;
        if let Some(sub) = &self.sub {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// The comparison operators of RFC 7644 Table 3 (`pr` is [`Filter::Present`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

impl CompareOp {
    const ALL: [CompareOp; 9] = [
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Co,
        CompareOp::Sw,
        CompareOp::Ew,
        CompareOp::Gt,
        CompareOp::Ge,
        CompareOp::Lt,
        CompareOp::Le,
    ];

    /// The operator as the RFC spells it, in lower case.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "eq",
            CompareOp::Ne => "ne",
            CompareOp::Co => "co",
            CompareOp::Sw => "sw",
            CompareOp::Ew => "ew",
            CompareOp::Gt => "gt",
            CompareOp::Ge => "ge",
            CompareOp::Lt => "lt",
            CompareOp::Le => "le",
        }
    }

    fn parse(word: &str) -> Option<CompareOp> {
        CompareOp::ALL
            .into_iter()
            .find(|op| op.as_str().eq_ignore_ascii_case(word))
    }
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A comparison value: a JSON literal as written. A boolean sent as the string `"true"` stays
/// a string here; coercing it to the attribute's type is the compiler's business.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Number(Number),
    Bool(bool),
    Null,
}

/// A JSON number (RFC 8259 §6), kept as its text so that no precision is lost before the
/// compiler knows whether the attribute is an integer or a decimal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number(String);

impl Number {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as an integer, when it is written as one (no fraction, no exponent) and
    /// fits.
    pub fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }

    /// The number as a float, `None` when it overflows to infinity.
    pub fn as_f64(&self) -> Option<f64> {
        self.0.parse::<f64>().ok().filter(|n| n.is_finite())
    }
}

/// What is wrong with a filter or path, for a SCIM error response (RFC 7644 §3.12): status 400
/// with `scimType` [`FilterError::scim_type`] and `detail` the message, which names the
/// character offset of the problem when it has one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FilterError {
    pub kind: FilterErrorKind,
    /// [`INVALID_FILTER`] or [`INVALID_PATH`].
    pub scim_type: &'static str,
    pub message: String,
    /// Where the problem is, in characters from the start of the input (0-based).
    pub offset: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterErrorKind {
    /// The text is not a filter (or path).
    Syntax,
    /// The text may be well formed, but exceeds a bound. A server may answer it with
    /// `tooMany` rather than the syntax error's type.
    TooComplex(Bound),
}

/// The bound a filter exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// [`MAX_FILTER_LEN`]
    Length,
    /// [`MAX_DEPTH`]
    Depth,
    /// [`MAX_TERMS`]
    Terms,
}

/// Parses the `filter` query parameter of a list or search request (already URL-decoded).
pub fn parse_filter(input: &str) -> Result<Filter, FilterError> {
    let mut parser = Parser::new(input, Mode::Filter)?;
    parser.skip_spaces();
    if parser.at_end() {
        return Err(parser.syntax(parser.pos, "the filter is empty".into()));
    }
    let filter = parser.filter()?;
    parser.skip_spaces();
    match parser.peek() {
        None => Ok(filter),
        Some(')') => Err(parser.syntax(parser.pos, "found \")\" with no \"(\" to close".into())),
        Some(']') => Err(parser.syntax(parser.pos, "found \"]\" with no \"[\" to close".into())),
        Some(_) => Err(parser.syntax(
            parser.pos,
            format!(
                "expected \"and\", \"or\" or the end of the filter, found {}",
                parser.describe(parser.pos)
            ),
        )),
    }
}

/// A PATCH operation's target (RFC 7644 §3.5.2): `PATH = attrPath / valuePath [subAttr]`.
#[derive(Debug, Clone, PartialEq)]
pub enum PatchPath {
    /// `userName`, `name.familyName`, `urn:…:enterprise:2.0:User:manager`.
    Attribute(AttrPath),
    /// `members[value eq "2819c223"]`, `emails[type eq "work"].value`: the values of `path`
    /// that match `filter` (whose paths name sub-attributes alone, as in
    /// [`Filter::ValuePath`]), or their sub-attribute `sub`. `path.sub` is always `None`.
    Filtered {
        path: AttrPath,
        filter: Filter,
        sub: Option<String>,
    },
}

/// Parses the `path` of a PATCH operation. Problems inside its brackets are `invalidFilter`,
/// the others `invalidPath`.
pub fn parse_path(input: &str) -> Result<PatchPath, FilterError> {
    let mut parser = Parser::new(input, Mode::Path)?;
    parser.skip_spaces();
    if parser.at_end() {
        return Err(parser.syntax(parser.pos, "the path is empty".into()));
    }
    let start = parser.pos;
    let word = parser.word();
    if word.is_empty() {
        return Err(parser.syntax(
            start,
            format!(
                "expected an attribute name, found {}",
                parser.describe(start)
            ),
        ));
    }
    let path = parser.attr_path(start, word)?;
    let parsed = if parser.peek() == Some('[') {
        let filter = parser.bracketed(&path)?;
        let sub = if parser.peek() == Some('.') {
            parser.pos += 1;
            let at = parser.pos;
            let name = parser.word();
            parser.attr_name(at, name, "after \"].\"")?;
            Some(name.to_owned())
        } else {
            None
        };
        PatchPath::Filtered { path, filter, sub }
    } else {
        PatchPath::Attribute(path)
    };
    parser.skip_spaces();
    if !parser.at_end() {
        return Err(parser.syntax(
            parser.pos,
            format!(
                "expected the end of the path, found {}",
                parser.describe(parser.pos)
            ),
        ));
    }
    Ok(parsed)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Filter,
    Path,
}

/// A recursive-descent parser over the input's bytes. `pos` is always on a character
/// boundary: it moves over ASCII bytes one at a time and over other characters whole.
struct Parser<'a> {
    text: &'a str,
    pos: usize,
    mode: Mode,
    depth: usize,
    terms: usize,
    /// Inside the brackets of a value filter, where no other one may open.
    in_brackets: bool,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, mode: Mode) -> Result<Self, FilterError> {
        let parser = Parser {
            text,
            pos: 0,
            mode,
            depth: 0,
            terms: 0,
            in_brackets: false,
        };
        if text.len() > MAX_FILTER_LEN {
            let what = match mode {
                Mode::Filter => "filter",
                Mode::Path => "path",
            };
            return Err(FilterError {
                kind: FilterErrorKind::TooComplex(Bound::Length),
                scim_type: parser.scim_type(),
                message: format!(
                    "the {what} is {} bytes long; at most {MAX_FILTER_LEN} are read",
                    text.len()
                ),
                offset: None,
            });
        }
        Ok(parser)
    }

    // ---- The grammar ----

    /// `FILTER = conjunction *(SP "or" SP conjunction)`, left-associative.
    fn filter(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.conjunction()?;
        while self.keyword("or") {
            let right = self.conjunction()?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    /// `conjunction = unary *(SP "and" SP unary)`, left-associative: `and` binds tighter
    /// than `or`.
    fn conjunction(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            let right = self.unary()?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    /// `"not" "(" FILTER ")"`, `"(" FILTER ")"`, `attrPath SP "pr"`,
    /// `attrPath SP compareOp SP compValue` or `attrPath "[" valFilter "]"`.
    fn unary(&mut self) -> Result<Filter, FilterError> {
        self.skip_spaces();
        let start = self.pos;
        let word = self.word();
        if word.is_empty() && self.peek() == Some('(') {
            return self.group();
        }
        // `and` and `or` are never attribute names: `a pr or or b pr` is a missing term.
        if word.is_empty() || word.eq_ignore_ascii_case("and") || word.eq_ignore_ascii_case("or") {
            return Err(self.syntax(
                start,
                format!(
                    "expected an attribute name, \"not\" or \"(\", found {}",
                    self.describe(start)
                ),
            ));
        }
        if word.eq_ignore_ascii_case("not") {
            self.skip_spaces();
            if self.peek() != Some('(') {
                return Err(self.syntax(
                    self.pos,
                    format!(
                        "expected \"(\" after \"not\", found {}",
                        self.describe(self.pos)
                    ),
                ));
            }
            return Ok(Filter::Not(Box::new(self.group()?)));
        }
        let path = self.attr_path(start, word)?;
        if self.in_brackets && (path.schema.is_some() || path.sub.is_some()) {
            return Err(self.syntax(
                start,
                format!(
                    "inside brackets, name a sub-attribute by its name alone, not {}",
                    quote(word)
                ),
            ));
        }
        if self.peek() == Some('[') {
            let filter = self.bracketed(&path)?;
            return Ok(Filter::ValuePath {
                path,
                filter: Box::new(filter),
            });
        }
        self.count_term(start)?;
        self.skip_spaces();
        let op_at = self.pos;
        let op_word = self.word();
        if op_word.eq_ignore_ascii_case("pr") {
            return Ok(Filter::Present(path));
        }
        let Some(op) = CompareOp::parse(op_word) else {
            return Err(self.syntax(
                op_at,
                format!(
                    "expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) after {}, \
                     found {}",
                    quote(word),
                    self.describe(op_at)
                ),
            ));
        };
        self.skip_spaces();
        let value = self.value(op_word)?;
        Ok(Filter::Compare { path, op, value })
    }

    /// `"(" FILTER ")"`, at the `(`.
    fn group(&mut self) -> Result<Filter, FilterError> {
        let open = self.pos;
        self.enter(open)?;
        self.pos += 1;
        let inner = self.filter()?;
        self.skip_spaces();
        if self.peek() != Some(')') {
            return Err(self.syntax(
                self.pos,
                format!(
                    "expected \"and\", \"or\" or \")\" closing the \"(\" at {}, found {}",
                    self.offset(open),
                    self.describe(self.pos)
                ),
            ));
        }
        self.pos += 1;
        self.depth -= 1;
        Ok(inner)
    }

    /// `"[" valFilter "]"` after `path`, at the `[`.
    fn bracketed(&mut self, path: &AttrPath) -> Result<Filter, FilterError> {
        let open = self.pos;
        if self.in_brackets {
            return Err(self.syntax(
                open,
                "a value filter in brackets cannot hold another one".into(),
            ));
        }
        if path.sub.is_some() {
            return Err(self.syntax(
                open,
                format!(
                    "{} is a sub-attribute, which has no values to filter in brackets",
                    quote(&path.to_string())
                ),
            ));
        }
        self.enter(open)?;
        self.pos += 1;
        self.in_brackets = true;
        let filter = self.filter()?;
        self.in_brackets = false;
        self.skip_spaces();
        if self.peek() != Some(']') {
            return Err(self.syntax(
                self.pos,
                format!(
                    "expected \"and\", \"or\" or \"]\" closing the \"[\" at {}, found {}",
                    self.offset(open),
                    self.describe(self.pos)
                ),
            ));
        }
        self.pos += 1;
        self.depth -= 1;
        Ok(filter)
    }

    /// `attrPath = [URI ":"] ATTRNAME *1subAttr`, from `word` read at `start`. The URI ends at
    /// the last `:`, since attribute names hold none and URNs hold many.
    fn attr_path(&self, start: usize, word: &str) -> Result<AttrPath, FilterError> {
        let (schema, rest, rest_at) = match word.rsplit_once(':') {
            Some((schema, rest)) => (Some(schema), rest, start + schema.len() + 1),
            None => (None, word, start),
        };
        if let Some(schema) = schema.filter(|schema| !is_uri(schema)) {
            return Err(self.syntax(
                start,
                format!(
                    "{} is not a schema URI such as \
                     \"urn:ietf:params:scim:schemas:core:2.0:User\"",
                    quote(schema)
                ),
            ));
        }
        let (name, sub) = match rest.split_once('.') {
            Some((name, sub)) => (name, Some((sub, rest_at + name.len() + 1))),
            None => (rest, None),
        };
        let context = if schema.is_some() {
            "after the schema URI"
        } else {
            "in the attribute path"
        };
        self.attr_name(rest_at, name, context)?;
        if let Some((sub, at)) = sub {
            self.attr_name(at, sub, "after \".\"")?;
        }
        Ok(AttrPath {
            schema: schema.map(str::to_owned),
            name: name.to_owned(),
            sub: sub.map(|(sub, _)| sub.to_owned()),
        })
    }

    /// `ATTRNAME = ALPHA *(ALPHA / DIGIT / "-" / "_")`, and `$ref`, which RFC 7643 uses for
    /// references although its ABNF leaves it out.
    fn attr_name(&self, at: usize, name: &str, context: &str) -> Result<(), FilterError> {
        if name.is_empty() {
            return Err(self.syntax(
                at,
                format!(
                    "expected an attribute name {context}, found {}",
                    self.describe(at)
                ),
            ));
        }
        let valid = name == "$ref"
            || (name.starts_with(|c: char| c.is_ascii_alphabetic())
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        if !valid {
            return Err(self.syntax(
                at,
                format!(
                    "{} is not an attribute name: one starts with a letter and holds letters, \
                     digits, \"-\" and \"_\" (and at most one \".\" before a sub-attribute)",
                    quote(name)
                ),
            ));
        }
        Ok(())
    }

    /// `compValue = false / null / true / number / string`, after operator `op`.
    fn value(&mut self, op: &str) -> Result<Value, FilterError> {
        let at = self.pos;
        if self.peek() == Some('"') {
            return self.string().map(Value::String);
        }
        let word = self.word();
        match word {
            "true" => return Ok(Value::Bool(true)),
            "false" => return Ok(Value::Bool(false)),
            "null" => return Ok(Value::Null),
            _ => {}
        }
        if is_json_number(word) {
            return Ok(Value::Number(Number(word.to_owned())));
        }
        Err(self.syntax(
            at,
            format!(
                "expected a value (a \"string\" in double quotes, a JSON number, or true, false \
                 or null in lower case) after {}, found {}",
                quote(op),
                self.describe(at)
            ),
        ))
    }

    /// A JSON string (RFC 8259 §7), at its opening quote.
    fn string(&mut self) -> Result<String, FilterError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let at = self.pos;
            let Some(c) = self.peek() else {
                return Err(self.syntax(open, "the string has no closing quote; it opens".into()));
            };
            self.pos += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' if self.at_end() => {
                    return Err(
                        self.syntax(open, "the string has no closing quote; it opens".into())
                    );
                }
                '\\' => out.push(self.escape(at)?),
                '\0' => {
                    return Err(self.syntax(at, "a string cannot hold NUL".into()));
                }
                c if c < '\u{20}' => {
                    return Err(self.syntax(
                        at,
                        format!(
                            "a string cannot hold the control character U+{:04X} unescaped",
                            u32::from(c)
                        ),
                    ));
                }
                c => out.push(c),
            }
        }
    }

    /// The character of the escape whose backslash is at `at`; `pos` is after the backslash.
    fn escape(&mut self, at: usize) -> Result<char, FilterError> {
        let Some(c) = self.peek() else {
            return Err(self.syntax(at, "the string ends inside an escape".into()));
        };
        self.pos += c.len_utf8();
        let simple = match c {
            '"' => Some('"'),
            '\\' => Some('\\'),
            '/' => Some('/'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'u' => None,
            other => {
                let other = if other.is_control() {
                    format!("U+{:04X}", u32::from(other))
                } else {
                    other.to_string()
                };
                return Err(self.syntax(
                    at,
                    format!(
                        "invalid escape \\{other} in a string (JSON's are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \
                         and \\uXXXX)"
                    ),
                ));
            }
        };
        if let Some(simple) = simple {
            return Ok(simple);
        }
        let unit = self.hex4(at)?;
        let code = match unit {
            0xD800..=0xDBFF => {
                let low_at = self.pos;
                let low = if self.rest().starts_with("\\u") {
                    self.pos += 2;
                    self.hex4(low_at)?
                } else {
                    0
                };
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.syntax(
                        at,
                        "a \\u escape of a high surrogate must be followed by one of a low \
                         surrogate"
                            .into(),
                    ));
                }
                0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            }
            0xDC00..=0xDFFF => {
                return Err(self.syntax(
                    at,
                    "a \\u escape of a low surrogate must follow one of a high surrogate".into(),
                ));
            }
            0 => return Err(self.syntax(at, "a string cannot hold NUL (\\u0000)".into())),
            unit => unit,
        };
        char::from_u32(code)
            .ok_or_else(|| self.syntax(at, "the \\u escape is not a character".into()))
    }

    /// Four hex digits after `\u`, for the escape whose backslash is at `at`.
    fn hex4(&mut self, at: usize) -> Result<u32, FilterError> {
        let digits = self.rest().get(..4).unwrap_or_default();
        if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.syntax(at, "a \\u escape needs four hexadecimal digits".into()));
        }
        self.pos += 4;
        u32::from_str_radix(digits, 16)
            .map_err(|_| self.syntax(at, "a \\u escape needs four hexadecimal digits".into()))
    }

    // ---- Reading ----

    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or_default()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    fn skip_spaces(&mut self) {
        self.pos += self.rest().bytes().take_while(|b| *b == b' ').count();
    }

    /// The longest run of attribute-path characters from `pos`, consumed: a name, a URN, an
    /// operator, a keyword or an unquoted value. Empty when `pos` is at anything else.
    fn word(&mut self) -> &'a str {
        let start = self.pos;
        self.pos += self.rest().bytes().take_while(|b| is_word_byte(*b)).count();
        self.text.get(start..self.pos).unwrap_or_default()
    }

    /// Consumes `keyword` (ignoring case) and the spaces around it when it comes next as a
    /// whole word; otherwise leaves `pos` where it was.
    fn keyword(&mut self, keyword: &str) -> bool {
        let before = self.pos;
        self.skip_spaces();
        if self.word().eq_ignore_ascii_case(keyword) {
            self.skip_spaces();
            true
        } else {
            self.pos = before;
            false
        }
    }

    // ---- Bounds ----

    /// Opens a nesting level at `at`, refusing the one past [`MAX_DEPTH`] before any
    /// recursion into it.
    fn enter(&mut self, at: usize) -> Result<(), FilterError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.too_complex(
                Bound::Depth,
                at,
                format!(
                    "the filter nests parentheses and brackets more than {MAX_DEPTH} levels deep"
                ),
            ));
        }
        self.depth += 1;
        Ok(())
    }

    /// Counts a comparison or presence test starting at `at`, refusing the one past
    /// [`MAX_TERMS`] before it is built.
    fn count_term(&mut self, at: usize) -> Result<(), FilterError> {
        if self.terms >= MAX_TERMS {
            return Err(self.too_complex(
                Bound::Terms,
                at,
                format!("the filter holds more than {MAX_TERMS} comparisons"),
            ));
        }
        self.terms += 1;
        Ok(())
    }

    // ---- Errors ----

    fn scim_type(&self) -> &'static str {
        match self.mode {
            Mode::Filter => INVALID_FILTER,
            Mode::Path if self.in_brackets => INVALID_FILTER,
            Mode::Path => INVALID_PATH,
        }
    }

    /// Characters before byte `at`.
    fn offset(&self, at: usize) -> usize {
        self.text.get(..at).unwrap_or(self.text).chars().count()
    }

    fn syntax(&self, at: usize, message: String) -> FilterError {
        self.error(FilterErrorKind::Syntax, at, message)
    }

    fn too_complex(&self, bound: Bound, at: usize, message: String) -> FilterError {
        self.error(FilterErrorKind::TooComplex(bound), at, message)
    }

    fn error(&self, kind: FilterErrorKind, at: usize, message: String) -> FilterError {
        let offset = self.offset(at);
        FilterError {
            kind,
            scim_type: self.scim_type(),
            message: format!("{message} at {offset}"),
            offset: Some(offset),
        }
    }

    /// What the input holds at byte `at`, for "found …": a quoted word or delimiter, a
    /// control character by its code point, or the end.
    fn describe(&self, at: usize) -> String {
        let rest = self.text.get(at..).unwrap_or_default();
        let Some(first) = rest.chars().next() else {
            return "the end".into();
        };
        if first.is_control() {
            return format!("the control character U+{:04X}", u32::from(first));
        }
        if is_delimiter(first) {
            return quote(&first.to_string());
        }
        let word: String = rest
            .chars()
            .take_while(|c| !c.is_control() && !is_delimiter(*c))
            .take(EXCERPT + 1)
            .collect();
        quote(&word)
    }
}

/// The bytes of a word: ASCII letters, digits and the URI characters that are not
/// delimiters of the filter grammar (RFC 3986's unreserved, sub-delims, `:`, `/`, `?`, `#`,
/// `@` and `%`, less the parentheses and brackets).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~:/?#@!$&'*+,;=%".contains(&b)
}

fn is_delimiter(c: char) -> bool {
    matches!(c, ' ' | '(' | ')' | '[' | ']' | '"')
}

/// `scheme ":" rest` with a non-empty rest: enough to tell a schema URN from a stray colon.
fn is_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        && !rest.is_empty()
}

/// RFC 8259 §6: `[ "-" ] ( "0" / 1-9 *DIGIT ) [ "." 1*DIGIT ] [ ("e" / "E") [ "+" / "-" ] 1*DIGIT ]`.
fn is_json_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = usize::from(bytes.first() == Some(&b'-'));
    let digits = |from: usize| {
        bytes
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    match bytes.get(at) {
        Some(b'0') => at += 1,
        Some(b'1'..=b'9') => at += digits(at),
        _ => return false,
    }
    if bytes.get(at) == Some(&b'.') {
        let fraction = digits(at + 1);
        if fraction == 0 {
            return false;
        }
        at += 1 + fraction;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exponent = digits(at);
        if exponent == 0 {
            return false;
        }
        at += exponent;
    }
    at == bytes.len()
}

/// `text` in double quotes with its quotes, backslashes and control characters escaped,
/// shortened to [`EXCERPT`] characters.
fn quote(text: &str) -> String {
    if text.chars().count() > EXCERPT {
        let head: String = text.chars().take(EXCERPT).collect();
        format!("{head:?}…")
    } else {
        format!("{text:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

    fn attr(name: &str) -> AttrPath {
        AttrPath {
            schema: None,
            name: name.into(),
            sub: None,
        }
    }

    fn sub(name: &str, sub: &str) -> AttrPath {
        AttrPath {
            sub: Some(sub.into()),
            ..attr(name)
        }
    }

    fn in_schema(schema: &str, path: AttrPath) -> AttrPath {
        AttrPath {
            schema: Some(schema.into()),
            ..path
        }
    }

    fn text(value: &str) -> Value {
        Value::String(value.into())
    }

    fn number(text: &str) -> Value {
        Value::Number(Number(text.into()))
    }

    fn cmp(path: AttrPath, op: CompareOp, value: Value) -> Filter {
        Filter::Compare { path, op, value }
    }

    fn and(left: Filter, right: Filter) -> Filter {
        Filter::And(Box::new(left), Box::new(right))
    }

    fn or(left: Filter, right: Filter) -> Filter {
        Filter::Or(Box::new(left), Box::new(right))
    }

    fn not(inner: Filter) -> Filter {
        Filter::Not(Box::new(inner))
    }

    fn value_path(path: AttrPath, filter: Filter) -> Filter {
        Filter::ValuePath {
            path,
            filter: Box::new(filter),
        }
    }

    fn parsed(input: &str) -> Filter {
        parse_filter(input).unwrap_or_else(|error| panic!("{input:?} was refused: {error}"))
    }

    fn path(input: &str) -> PatchPath {
        parse_path(input).unwrap_or_else(|error| panic!("{input:?} was refused: {error}"))
    }

    /// The error of a filter that must be refused, checked for what every error must have.
    fn refused(input: &str) -> FilterError {
        match parse_filter(input) {
            Ok(filter) => panic!("{input:?} was accepted as {filter:?}"),
            Err(error) => {
                assert_eq!(error.scim_type, INVALID_FILTER, "{error}");
                assert!(!error.message.is_empty());
                assert_eq!(error.to_string(), error.message);
                error
            }
        }
    }

    /// A syntax error at character `offset`, whose message names that offset.
    fn syntax_error_at(input: &str, offset: usize) -> FilterError {
        let error = refused(input);
        assert_eq!(error.kind, FilterErrorKind::Syntax, "{input:?}: {error}");
        assert_eq!(error.offset, Some(offset), "{input:?}: {error}");
        assert!(
            error.message.ends_with(&format!(" at {offset}")),
            "{input:?}: {error}"
        );
        error
    }

    fn path_refused(input: &str) -> FilterError {
        match parse_path(input) {
            Ok(parsed) => panic!("{input:?} was accepted as {parsed:?}"),
            Err(error) => {
                assert!(!error.message.is_empty());
                error
            }
        }
    }

    // ---- RFC 7644 §3.4.2.2, every example ----

    #[test]
    fn the_rfc_examples_of_single_comparisons_parse() {
        use CompareOp::*;
        let cases = [
            (
                r#"userName eq "bjensen""#,
                cmp(attr("userName"), Eq, text("bjensen")),
            ),
            (
                r#"name.familyName co "O'Malley""#,
                cmp(sub("name", "familyName"), Co, text("O'Malley")),
            ),
            (r#"userName sw "J""#, cmp(attr("userName"), Sw, text("J"))),
            (
                r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
                cmp(in_schema(CORE_USER, attr("userName")), Sw, text("J")),
            ),
            ("title pr", Filter::Present(attr("title"))),
            (
                r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
                cmp(
                    sub("meta", "lastModified"),
                    Gt,
                    text("2011-05-13T04:42:34Z"),
                ),
            ),
            (
                r#"meta.lastModified ge "2011-05-13T04:42:34Z""#,
                cmp(
                    sub("meta", "lastModified"),
                    Ge,
                    text("2011-05-13T04:42:34Z"),
                ),
            ),
            (
                r#"meta.lastModified lt "2011-05-13T04:42:34Z""#,
                cmp(
                    sub("meta", "lastModified"),
                    Lt,
                    text("2011-05-13T04:42:34Z"),
                ),
            ),
            (
                r#"meta.lastModified le "2011-05-13T04:42:34Z""#,
                cmp(
                    sub("meta", "lastModified"),
                    Le,
                    text("2011-05-13T04:42:34Z"),
                ),
            ),
            (
                r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
                cmp(attr("schemas"), Eq, text(ENTERPRISE)),
            ),
            // The two spellings §3.4.2.2 says evaluate alike.
            (
                r#"userName Eq "john""#,
                cmp(attr("userName"), Eq, text("john")),
            ),
            (
                r#"Username eq "john""#,
                cmp(attr("Username"), Eq, text("john")),
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(parsed(input), expected, "{input}");
        }
    }

    #[test]
    fn the_rfc_examples_of_logical_expressions_parse() {
        use CompareOp::*;
        let employee = || cmp(attr("userType"), Eq, text("Employee"));
        let example_com = || cmp(attr("emails"), Co, text("example.com"));
        let example_org = || cmp(sub("emails", "value"), Co, text("example.org"));
        let work_at_example = || {
            value_path(
                attr("emails"),
                and(
                    cmp(attr("type"), Eq, text("work")),
                    cmp(attr("value"), Co, text("@example.com")),
                ),
            )
        };
        let cases = [
            (
                r#"title pr and userType eq "Employee""#,
                and(Filter::Present(attr("title")), employee()),
            ),
            (
                r#"title pr or userType eq "Intern""#,
                or(
                    Filter::Present(attr("title")),
                    cmp(attr("userType"), Eq, text("Intern")),
                ),
            ),
            (
                r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
                and(employee(), or(example_com(), example_org())),
            ),
            (
                r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
                and(
                    cmp(attr("userType"), Ne, text("Employee")),
                    not(or(example_com(), example_org())),
                ),
            ),
            (
                r#"userType eq "Employee" and (emails.type eq "work")"#,
                and(employee(), cmp(sub("emails", "type"), Eq, text("work"))),
            ),
            (
                r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
                and(employee(), work_at_example()),
            ),
            (
                r#"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
                or(
                    work_at_example(),
                    value_path(
                        attr("ims"),
                        and(
                            cmp(attr("type"), Eq, text("xmpp")),
                            cmp(attr("value"), Co, text("@foo.com")),
                        ),
                    ),
                ),
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(parsed(input), expected, "{input}");
        }
    }

    #[test]
    fn the_filters_okta_and_entra_send_parse() {
        let cases = [
            (
                "userName",
                r#"userName eq "alice@example.com""#,
                "alice@example.com",
            ),
            (
                "userName",
                r#"userName eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee""#,
                "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
            ),
            (
                "externalId",
                r#"externalId eq "0a2c8d6e-3f4b-4c1d-9e8f-7a6b5c4d3e2f""#,
                "0a2c8d6e-3f4b-4c1d-9e8f-7a6b5c4d3e2f",
            ),
            (
                "displayName",
                r#"displayName eq "Group Name""#,
                "Group Name",
            ),
            (
                "id",
                r#"id eq "2819c223-7f76-453a-919d-413861904646""#,
                "2819c223-7f76-453a-919d-413861904646",
            ),
        ];
        for (name, input, value) in cases {
            assert_eq!(
                parsed(input),
                cmp(attr(name), CompareOp::Eq, text(value)),
                "{input}"
            );
        }
    }

    #[test]
    fn urn_prefixed_paths_split_at_the_last_colon() {
        assert_eq!(
            parsed(
                r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984""#
            ),
            cmp(
                in_schema(ENTERPRISE, attr("employeeNumber")),
                CompareOp::Eq,
                text("701984")
            )
        );
        assert_eq!(
            parsed(r#"urn:ietf:params:scim:schemas:core:2.0:User:name.givenName pr"#),
            Filter::Present(in_schema(CORE_USER, sub("name", "givenName")))
        );
        assert_eq!(
            parsed(
                r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d""#
            ),
            cmp(
                in_schema(ENTERPRISE, sub("manager", "value")),
                CompareOp::Eq,
                text("26118915-6090-4610-87e4-49d8ca9f808d")
            )
        );
    }

    #[test]
    fn names_keep_their_case_and_compare_without_it() {
        let Filter::Compare { path, .. } =
            parsed(r#"URN:IETF:params:scim:schemas:core:2.0:User:NAME.GivenName eq "x""#)
        else {
            panic!("not a comparison");
        };
        assert_eq!(path.name, "NAME");
        assert_eq!(path.sub.as_deref(), Some("GivenName"));
        assert!(path.is("name", Some("givenName")));
        assert!(!path.is("name", None));
        assert!(!path.is("name", Some("familyName")));
        assert!(path.schema_is(CORE_USER));
        assert!(!path.schema_is(ENTERPRISE));
        assert!(!attr("userName").schema_is(CORE_USER));
        assert_eq!(
            path.to_string(),
            "URN:IETF:params:scim:schemas:core:2.0:User:NAME.GivenName"
        );
    }

    #[test]
    fn operators_and_logical_words_ignore_case() {
        use CompareOp::*;
        for (word, op) in [
            ("eq", Eq),
            ("EQ", Eq),
            ("Eq", Eq),
            ("NE", Ne),
            ("Co", Co),
            ("SW", Sw),
            ("eW", Ew),
            ("GT", Gt),
            ("Ge", Ge),
            ("LT", Lt),
            ("lE", Le),
        ] {
            assert_eq!(
                parsed(&format!(r#"userName {word} "x""#)),
                cmp(attr("userName"), op, text("x")),
                "{word}"
            );
        }
        assert_eq!(parsed("title PR"), Filter::Present(attr("title")));
        assert_eq!(
            parsed("a pr AND b Pr OR NOT (c pR)"),
            or(
                and(Filter::Present(attr("a")), Filter::Present(attr("b"))),
                not(Filter::Present(attr("c")))
            )
        );
    }

    // ---- Precedence and grouping ----

    #[test]
    fn and_binds_tighter_than_or() {
        let term = |name: &str, n: &str| cmp(attr(name), CompareOp::Eq, number(n));
        assert_eq!(
            parsed("a eq 1 or b eq 2 and c eq 3"),
            or(term("a", "1"), and(term("b", "2"), term("c", "3")))
        );
        assert_eq!(
            parsed("a eq 1 and b eq 2 or c eq 3"),
            or(and(term("a", "1"), term("b", "2")), term("c", "3"))
        );
        assert_eq!(
            parsed("(a eq 1 or b eq 2) and c eq 3"),
            and(or(term("a", "1"), term("b", "2")), term("c", "3"))
        );
    }

    #[test]
    fn chains_associate_to_the_left() {
        let [a, b, c] = ["a", "b", "c"].map(|name| Filter::Present(attr(name)));
        assert_eq!(
            parsed("a pr or b pr or c pr"),
            or(or(a.clone(), b.clone()), c.clone())
        );
        assert_eq!(parsed("a pr and b pr and c pr"), and(and(a, b), c));
    }

    #[test]
    fn not_applies_to_its_group_only() {
        assert_eq!(
            parsed("not (a pr) and b pr"),
            and(not(Filter::Present(attr("a"))), Filter::Present(attr("b")))
        );
        assert_eq!(parsed("not(a pr)"), not(Filter::Present(attr("a"))));
        assert_eq!(
            parsed("not (not (a pr))"),
            not(not(Filter::Present(attr("a"))))
        );
    }

    #[test]
    fn spaces_around_the_filter_and_inside_groups_are_read_past() {
        assert_eq!(
            parsed(r#"  (  userName   eq   "x"  )  "#),
            cmp(attr("userName"), CompareOp::Eq, text("x"))
        );
        assert_eq!(
            parsed(r#"emails[ type eq "work" ]"#),
            value_path(
                attr("emails"),
                cmp(attr("type"), CompareOp::Eq, text("work"))
            )
        );
    }

    #[test]
    fn spaces_are_not_needed_next_to_quotes_and_parentheses() {
        assert_eq!(
            parsed(r#"userName eq"x"and(title pr)"#),
            and(
                cmp(attr("userName"), CompareOp::Eq, text("x")),
                Filter::Present(attr("title"))
            )
        );
    }

    #[test]
    fn value_filters_hold_not_and_groups() {
        assert_eq!(
            parsed(r#"emails[not (type eq "work") and (primary eq true or value ew ".org")]"#),
            value_path(
                attr("emails"),
                and(
                    not(cmp(attr("type"), CompareOp::Eq, text("work"))),
                    or(
                        cmp(attr("primary"), CompareOp::Eq, Value::Bool(true)),
                        cmp(attr("value"), CompareOp::Ew, text(".org"))
                    )
                )
            )
        );
        assert_eq!(
            parsed(r#"urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"]"#),
            value_path(
                in_schema(CORE_USER, attr("emails")),
                cmp(attr("type"), CompareOp::Eq, text("work"))
            )
        );
    }

    // ---- Values ----

    #[test]
    fn json_literals_parse_as_written() {
        let value = |input: &str| match parsed(&format!("a eq {input}")) {
            Filter::Compare { value, .. } => value,
            other => panic!("{input}: {other:?}"),
        };
        assert_eq!(value("true"), Value::Bool(true));
        assert_eq!(value("false"), Value::Bool(false));
        assert_eq!(value("null"), Value::Null);
        assert_eq!(value(r#""true""#), text("true"));
        assert_eq!(value(r#""""#), text(""));
        for n in ["0", "42", "-7", "3.25", "-0.5", "1e3", "2.5E-4", "-1E+2"] {
            assert_eq!(value(n), number(n), "{n}");
        }
        let Value::Number(n) = value("-12") else {
            panic!("not a number")
        };
        assert_eq!((n.as_i64(), n.as_f64()), (Some(-12), Some(-12.0)));
        let Value::Number(n) = value("3.25") else {
            panic!("not a number")
        };
        assert_eq!(
            (n.as_i64(), n.as_f64(), n.as_str()),
            (None, Some(3.25), "3.25")
        );
        let Value::Number(n) = value("1e999") else {
            panic!("not a number")
        };
        assert_eq!((n.as_i64(), n.as_f64()), (None, None));
    }

    #[test]
    fn strings_unescape_as_json_does() {
        assert_eq!(
            parsed(r#"a eq "say \"hi\" \\ \/ caf\u00e9 \ud83d\ude00 \b\f\n\r\t""#),
            cmp(
                attr("a"),
                CompareOp::Eq,
                text("say \"hi\" \\ / café 😀 \u{8}\u{c}\n\r\t")
            )
        );
        assert_eq!(
            parsed(r#"displayName eq "Équipe (Paris) [ops] and or not""#),
            cmp(
                attr("displayName"),
                CompareOp::Eq,
                text("Équipe (Paris) [ops] and or not")
            )
        );
    }

    // ---- PATCH paths, RFC 7644 §3.5.2 and Entra ----

    #[test]
    fn patch_paths_parse() {
        assert_eq!(
            path(r#"members[value eq "2819c223-7f76-453a-919d-413861904646"]"#),
            PatchPath::Filtered {
                path: attr("members"),
                filter: cmp(
                    attr("value"),
                    CompareOp::Eq,
                    text("2819c223-7f76-453a-919d-413861904646")
                ),
                sub: None,
            }
        );
        assert_eq!(
            path(r#"emails[type eq "work"].value"#),
            PatchPath::Filtered {
                path: attr("emails"),
                filter: cmp(attr("type"), CompareOp::Eq, text("work")),
                sub: Some("value".into()),
            }
        );
        assert_eq!(
            path(r#"addresses[type eq "work"]"#),
            PatchPath::Filtered {
                path: attr("addresses"),
                filter: cmp(attr("type"), CompareOp::Eq, text("work")),
                sub: None,
            }
        );
        assert_eq!(
            path(r#"addresses[type eq "work"].streetAddress"#),
            PatchPath::Filtered {
                path: attr("addresses"),
                filter: cmp(attr("type"), CompareOp::Eq, text("work")),
                sub: Some("streetAddress".into()),
            }
        );
        assert_eq!(
            path(r#"emails[type eq "work" and value ew "example.com"]"#),
            PatchPath::Filtered {
                path: attr("emails"),
                filter: and(
                    cmp(attr("type"), CompareOp::Eq, text("work")),
                    cmp(attr("value"), CompareOp::Ew, text("example.com"))
                ),
                sub: None,
            }
        );
        assert_eq!(path("members"), PatchPath::Attribute(attr("members")));
        assert_eq!(
            path("name.familyName"),
            PatchPath::Attribute(sub("name", "familyName"))
        );
        assert_eq!(
            path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"),
            PatchPath::Attribute(in_schema(ENTERPRISE, attr("manager")))
        );
        assert_eq!(
            path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"),
            PatchPath::Attribute(in_schema(ENTERPRISE, attr("employeeNumber")))
        );
        assert_eq!(
            path("urn:ietf:params:scim:schemas:core:2.0:User:name.givenName"),
            PatchPath::Attribute(in_schema(CORE_USER, sub("name", "givenName")))
        );
        assert_eq!(
            path("members.$ref"),
            PatchPath::Attribute(sub("members", "$ref"))
        );
    }

    #[test]
    fn patch_paths_refuse_what_is_not_a_path() {
        let cases = [
            ("", INVALID_PATH, 0),
            ("   ", INVALID_PATH, 3),
            (r#"name.givenName eq "x""#, INVALID_PATH, 15),
            (r#"emails[type eq "work"]value"#, INVALID_PATH, 22),
            (r#"emails[type eq "work"].value.display"#, INVALID_PATH, 23),
            (r#"emails[type eq "work"]."#, INVALID_PATH, 23),
            (r#"emails[type eq "work""#, INVALID_PATH, 21),
            (r#"name.givenName[type eq "work"]"#, INVALID_PATH, 14),
            ("[value eq 1]", INVALID_PATH, 0),
            ("name..givenName", INVALID_PATH, 5),
            // Inside the brackets, RFC 7644 Table 9 makes the problem the filter's.
            (r#"members[value eq]"#, INVALID_FILTER, 16),
            (r#"members[value[x eq 1] eq 2]"#, INVALID_FILTER, 13),
        ];
        for (input, scim_type, offset) in cases {
            let error = path_refused(input);
            assert_eq!(error.kind, FilterErrorKind::Syntax, "{input:?}: {error}");
            assert_eq!(error.scim_type, scim_type, "{input:?}: {error}");
            assert_eq!(error.offset, Some(offset), "{input:?}: {error}");
        }
    }

    #[test]
    fn a_path_past_the_length_bound_is_refused_unread() {
        let long = format!("members[value eq \"{}\"]", "x".repeat(MAX_FILTER_LEN));
        let error = path_refused(&long);
        assert_eq!(error.kind, FilterErrorKind::TooComplex(Bound::Length));
        assert_eq!(error.scim_type, INVALID_PATH);
    }

    // ---- Hostile and mistaken filters ----

    #[test]
    fn an_empty_filter_is_refused() {
        let error = syntax_error_at("", 0);
        assert!(error.message.contains("empty"), "{error}");
        syntax_error_at("    ", 4);
    }

    #[test]
    fn the_messages_say_what_was_expected_and_where() {
        assert_eq!(
            refused("userName").message,
            "expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) after \
             \"userName\", found the end at 8"
        );
        assert_eq!(
            refused(r#"userName is "x""#).message,
            "expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) after \
             \"userName\", found \"is\" at 9"
        );
        assert_eq!(
            refused("userName eq").message,
            "expected a value (a \"string\" in double quotes, a JSON number, or true, false or \
             null in lower case) after \"eq\", found the end at 11"
        );
    }

    #[test]
    fn an_unterminated_string_is_refused_at_its_quote() {
        let error = syntax_error_at(r#"userName eq "bjensen"#, 12);
        assert!(error.message.contains("no closing quote"), "{error}");
        syntax_error_at(r#"userName eq "bjensen\"#, 12);
        syntax_error_at(r#"userName eq "bjensen\""#, 12);
    }

    #[test]
    fn bad_escapes_are_refused_at_their_backslash() {
        for (input, offset) in [
            (r#"a eq "x\q""#, 7),
            (r#"a eq "x\u00g1""#, 7),
            (r#"a eq "x\u12""#, 7),
            (r#"a eq "\ud83d""#, 6),
            (r#"a eq "\ud83d\u0041""#, 6),
            (r#"a eq "\ude00""#, 6),
            (r#"a eq "\u0000""#, 6),
        ] {
            let error = syntax_error_at(input, offset);
            assert!(
                error.message.contains("escape") || error.message.contains("NUL"),
                "{input}: {error}"
            );
        }
    }

    #[test]
    fn an_invalid_escape_is_named_as_written() {
        assert_eq!(
            refused(r#"a eq "x\q""#).message,
            r#"invalid escape \q in a string (JSON's are \" \\ \/ \b \f \n \r \t and \uXXXX) at 7"#
        );
    }

    #[test]
    fn unknown_operators_and_missing_values_are_refused() {
        syntax_error_at(r#"userName is "x""#, 9);
        syntax_error_at(r#"userName eqx "x""#, 9);
        syntax_error_at(r#"userName == "x""#, 9);
        syntax_error_at(r#"userName eq and title pr"#, 12);
        syntax_error_at(r#"(userName eq) and title pr"#, 12);
        syntax_error_at(r#"userName eq bjensen"#, 12);
        syntax_error_at(r#"userName eq 'bjensen'"#, 12);
        let error = syntax_error_at("active eq True", 10);
        assert!(error.message.contains("in lower case"), "{error}");
        for bad in ["01", "1.", ".5", "+1", "-", "1e", "1.5.2", "0x10", "1and"] {
            let error = syntax_error_at(&format!("a eq {bad}"), 5);
            assert!(error.message.contains("expected a value"), "{bad}: {error}");
        }
    }

    #[test]
    fn trailing_garbage_is_refused() {
        syntax_error_at(r#"userName eq "x" garbage"#, 16);
        syntax_error_at(r#"userName eq "x" "y""#, 16);
        syntax_error_at(r#"title pr pr"#, 9);
        syntax_error_at(r#"title pr andtitle pr"#, 9);
        syntax_error_at(r#"title pr and"#, 12);
        syntax_error_at(r#"title pr or or b pr"#, 12);
        syntax_error_at(r#"emails[type eq "work"].value eq "x""#, 22);
        syntax_error_at(r#"not title pr"#, 4);
    }

    #[test]
    fn unbalanced_parentheses_are_refused_both_ways() {
        let error = syntax_error_at(r#"(userName eq "x""#, 16);
        assert!(error.message.contains("closing the \"(\" at 0"), "{error}");
        let error = syntax_error_at(r#"userName eq "x")"#, 15);
        assert!(error.message.contains("no \"(\""), "{error}");
        syntax_error_at(r#"((a pr)"#, 7);
        syntax_error_at(r#"(a pr))"#, 6);
        syntax_error_at(r#"()"#, 1);
        syntax_error_at(r#")"#, 0);
        syntax_error_at(r#"not (a pr"#, 9);
    }

    #[test]
    fn unbalanced_brackets_are_refused() {
        let error = syntax_error_at(r#"emails[type eq "work""#, 21);
        assert!(error.message.contains("closing the \"[\" at 6"), "{error}");
        syntax_error_at(r#"emails[type eq "work") "#, 21);
        syntax_error_at(r#"emails type eq "work"]"#, 7);
        syntax_error_at(r#"title pr]"#, 8);
        syntax_error_at(r#"emails[]"#, 7);
        syntax_error_at(r#"emails [type eq "work"]"#, 7);
    }

    #[test]
    fn value_filters_do_not_nest_or_name_other_attributes() {
        let error = syntax_error_at(r#"emails[type[x eq 1] eq 2]"#, 11);
        assert!(error.message.contains("cannot hold another"), "{error}");
        syntax_error_at(r#"emails[(type[x eq 1] eq 2)]"#, 12);
        syntax_error_at(r#"emails[emails.type eq "work"]"#, 7);
        syntax_error_at(
            r#"emails[urn:ietf:params:scim:schemas:core:2.0:User:type eq "work"]"#,
            7,
        );
        syntax_error_at(r#"name.givenName[value eq "x"]"#, 14);
    }

    #[test]
    fn malformed_attribute_paths_are_refused() {
        syntax_error_at(r#"1userName eq "x""#, 0);
        syntax_error_at(r#"user@name eq "x""#, 0);
        syntax_error_at(r#"name.family.name eq "x""#, 5);
        syntax_error_at(r#"name. eq "x""#, 5);
        syntax_error_at(r#"foo:userName eq "x""#, 0);
        syntax_error_at(r#"urn:ietf:params:scim:schemas:core:2.0:User: eq "x""#, 43);
        syntax_error_at(r#"üserName eq "x""#, 0);
        syntax_error_at(r#""userName" eq "x""#, 0);
    }

    #[test]
    fn control_characters_are_refused_where_they_are() {
        let error = syntax_error_at("userName eq \"x\u{0}y\"", 14);
        assert!(error.message.contains("NUL"), "{error}");
        let error = syntax_error_at("userName\0eq \"x\"", 8);
        assert!(error.message.contains("U+0000"), "{error}");
        syntax_error_at("userName eq \"x\"\0", 15);
        syntax_error_at("userName\teq \"x\"", 8);
        syntax_error_at("userName eq \"a\nb\"", 14);
        syntax_error_at("title pr\nand b pr", 8);
        let error = syntax_error_at("userName eq \"\u{1b}[31m\"", 13);
        assert!(error.message.contains("U+001B"), "{error}");
    }

    #[test]
    fn offsets_count_characters_not_bytes() {
        // "é" is two bytes; the missing operator is at character 14, byte 15.
        syntax_error_at(r#"a eq "é" and b"#, 14);
    }

    #[test]
    fn quoted_excerpts_are_short() {
        let error = refused(&format!("a pr {}", "x".repeat(1000)));
        assert!(error.message.len() < 200, "{}", error.message);
    }

    // ---- Bounds ----

    #[test]
    fn the_length_bound_counts_bytes() {
        let at_bound = |len: usize| {
            let input = format!("userName eq \"{}\"", "x".repeat(len - 14));
            assert_eq!(input.len(), len);
            input
        };
        assert!(parse_filter(&at_bound(MAX_FILTER_LEN)).is_ok());
        let error = refused(&at_bound(MAX_FILTER_LEN + 1));
        assert_eq!(error.kind, FilterErrorKind::TooComplex(Bound::Length));
        assert_eq!(error.offset, None);
        assert!(error.message.contains("4097 bytes"), "{error}");
    }

    #[test]
    fn a_5000_byte_filter_is_refused() {
        let input = format!("userName eq \"{}\"", "é".repeat(2500));
        assert!(input.len() > 5000);
        assert_eq!(
            refused(&input).kind,
            FilterErrorKind::TooComplex(Bound::Length)
        );
    }

    #[test]
    fn nesting_up_to_the_depth_bound_parses_and_past_it_is_refused() {
        let nested = |depth: usize| format!("{}a pr{}", "(".repeat(depth), ")".repeat(depth));
        assert_eq!(parsed(&nested(MAX_DEPTH)), Filter::Present(attr("a")));
        let error = refused(&nested(MAX_DEPTH + 1));
        assert_eq!(error.kind, FilterErrorKind::TooComplex(Bound::Depth));
        assert_eq!(error.offset, Some(MAX_DEPTH));

        let nots = |depth: usize| format!("{}a pr{}", "not (".repeat(depth), ")".repeat(depth));
        assert!(parse_filter(&nots(MAX_DEPTH)).is_ok());
        assert_eq!(
            refused(&nots(MAX_DEPTH + 1)).kind,
            FilterErrorKind::TooComplex(Bound::Depth)
        );

        // A value filter is a level too.
        let in_brackets = format!(
            "{}emails[type pr]{}",
            "(".repeat(MAX_DEPTH),
            ")".repeat(MAX_DEPTH)
        );
        assert_eq!(
            refused(&in_brackets).kind,
            FilterErrorKind::TooComplex(Bound::Depth)
        );
        let error = path_refused(&format!(
            "emails[{}type pr{}]",
            "(".repeat(MAX_DEPTH),
            ")".repeat(MAX_DEPTH)
        ));
        assert_eq!(error.kind, FilterErrorKind::TooComplex(Bound::Depth));
        assert_eq!(error.scim_type, INVALID_FILTER);
    }

    /// Without the depth check before recursion, 4,000 levels would take 12,000 frames.
    #[test]
    fn thousands_of_open_parentheses_are_refused_without_recursing() {
        for input in ["(".repeat(4000), "not (".repeat(800), "(".repeat(100_000)] {
            let error = refused(&input);
            assert!(
                matches!(error.kind, FilterErrorKind::TooComplex(_)),
                "{error}"
            );
        }
        assert_eq!(
            refused(&"(".repeat(4000)).kind,
            FilterErrorKind::TooComplex(Bound::Depth)
        );
        // Past the length bound, the text is not read at all.
        assert_eq!(
            refused(&"(".repeat(100_000)).kind,
            FilterErrorKind::TooComplex(Bound::Length)
        );
    }

    #[test]
    fn terms_up_to_the_bound_parse_and_past_it_are_refused() {
        let chain = |terms: usize| vec!["a pr"; terms].join(" or ");
        assert!(parse_filter(&chain(MAX_TERMS)).is_ok());
        let error = refused(&chain(MAX_TERMS + 1));
        assert_eq!(error.kind, FilterErrorKind::TooComplex(Bound::Terms));
        // The 65th term starts after 64 of "a pr or ", 8 characters each.
        assert_eq!(error.offset, Some(MAX_TERMS * 8));

        let in_brackets = format!("emails[{}]", vec!["type pr"; MAX_TERMS + 1].join(" and "));
        assert_eq!(
            refused(&in_brackets).kind,
            FilterErrorKind::TooComplex(Bound::Terms)
        );
    }

    /// 10,000 `or`s cannot fit in the length bound, which refuses them unread; the term bound
    /// is what refuses the longest chains that do fit (a 4 KiB filter holds 512 `a pr`).
    #[test]
    fn ten_thousand_ors_are_refused() {
        let input = vec!["a pr"; 10_001].join(" or ");
        assert_eq!(
            refused(&input).kind,
            FilterErrorKind::TooComplex(Bound::Length)
        );
        let longest_that_fits = vec!["a pr"; 512].join(" or ");
        assert!(longest_that_fits.len() <= MAX_FILTER_LEN);
        assert_eq!(
            refused(&longest_that_fits).kind,
            FilterErrorKind::TooComplex(Bound::Terms)
        );
    }
}
