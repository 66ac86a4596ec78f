//! A small element tree over quick-xml's streaming reader, with the line of every element.
//!
//! MEF files are read whole into this tree (a few hundred kilobytes at most in practice), so the semantic pass can
//! look ahead (a gate may be referenced before it is defined). Building it is one linear pass over the text.

use super::MefError;
use quick_xml::events::Event;
use quick_xml::Reader;
use quick_xml::XmlVersion;

/// One XML element.
pub(crate) struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<usize>,
    /// Text content, as (text, protected) pieces: protected pieces come from character references or CDATA and
    /// survive trimming.
    pub text: Vec<(String, bool)>,
    pub line: usize,
}

impl Node {
    /// The value of an attribute.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The text content with leading and trailing whitespace removed, except whitespace written as character
    /// references (`&#32;`) or inside CDATA, which is kept.
    pub fn trimmed_text(&self) -> String {
        let mut pieces: Vec<(&str, bool)> = self.text.iter().map(|(s, p)| (s.as_str(), *p)).collect();
        while let Some((s, false)) = pieces.first().copied() {
            let t = s.trim_start_matches([' ', '\t', '\n', '\r']);
            if t.is_empty() {
                pieces.remove(0);
            } else {
                pieces[0].0 = t;
                break;
            }
        }
        while let Some((s, false)) = pieces.last().copied() {
            let t = s.trim_end_matches([' ', '\t', '\n', '\r']);
            let n = pieces.len();
            if t.is_empty() {
                pieces.pop();
            } else {
                pieces[n - 1].0 = t;
                break;
            }
        }
        pieces.into_iter().map(|(s, _)| s).collect()
    }
}

/// A parsed XML document: its elements in document order, the root first.
pub(crate) struct Doc {
    pub nodes: Vec<Node>,
}

/// Turns byte offsets into 1-based line numbers. Offsets asked for in increasing order cost O(total length).
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.bytes.len());
        if offset < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        self.line += self.bytes[self.pos..offset].iter().filter(|&&b| b == b'\n').count();
        self.pos = offset;
        self.line
    }
}

fn utf8(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Parses one XML text into a [`Doc`]. Errors name the file and line.
pub(crate) fn parse(file: &str, text: &str) -> Result<Doc, MefError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut lines = Lines { bytes: text.as_bytes(), pos: 0, line: 1 };
    let mut nodes: Vec<Node> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let err = |line: usize, message: String| MefError { file: file.to_string(), line: Some(line), message };
    loop {
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let line = lines.at(reader.error_position() as usize);
                return Err(err(line, format!("malformed XML: {e}")));
            }
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let line = lines.at(before);
                let name = utf8(e.name().as_ref());
                if stack.is_empty() && !nodes.is_empty() {
                    return Err(err(line, format!("malformed XML: a second root element <{name}>")));
                }
                let mut attrs = Vec::new();
                for a in e.attributes() {
                    let a = a.map_err(|x| err(line, format!("malformed XML: {x}")))?;
                    let value = a
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map_err(|x| err(line, format!("malformed XML: {x}")))?;
                    attrs.push((utf8(a.key.as_ref()), value.into_owned()));
                }
                let id = nodes.len();
                nodes.push(Node { name, attrs, children: Vec::new(), text: Vec::new(), line });
                if let Some(&parent) = stack.last() {
                    nodes[parent].children.push(id);
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(id);
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Text(t) => {
                let s = t.xml10_content().map_err(|x| err(lines.at(before), format!("malformed XML: {x}")))?;
                let blank = s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
                match stack.last() {
                    // Leading raw whitespace is trimmed anyway: skipping it saves an allocation per element.
                    Some(&top) if blank && nodes[top].text.is_empty() => {}
                    Some(&top) => nodes[top].text.push((s.into_owned(), false)),
                    None if s.trim().is_empty() => {}
                    None => return Err(err(lines.at(before), "malformed XML: text outside the root element".into())),
                }
            }
            Event::CData(c) => {
                let s = utf8(&c.into_inner());
                if let Some(&top) = stack.last() {
                    nodes[top].text.push((s, true));
                }
            }
            Event::GeneralRef(r) => {
                let line = lines.at(before);
                let ch = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = utf8(r.as_ref());
                        match name.as_str() {
                            "amp" => "&".into(),
                            "lt" => "<".into(),
                            "gt" => ">".into(),
                            "quot" => "\"".into(),
                            "apos" => "'".into(),
                            _ => return Err(err(line, format!("malformed XML: unknown entity &{name};"))),
                        }
                    }
                    Err(x) => return Err(err(line, format!("malformed XML: {x}"))),
                };
                if let Some(&top) = stack.last() {
                    nodes[top].text.push((ch, true));
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if let Some(&open) = stack.last() {
        let line = lines.at(text.len());
        return Err(err(
            line,
            format!("malformed XML: the file ends inside <{}> (opened at line {})", nodes[open].name, nodes[open].line),
        ));
    }
    if nodes.is_empty() {
        return Err(MefError { file: file.to_string(), line: None, message: "malformed XML: no root element".into() });
    }
    Ok(Doc { nodes })
}
