//! Bad MEF input gives a clear error naming the file, the line and the element: exact messages.

use faultline_interchange::mef::{self, Source};

/// The messages of importing one file, `name:line: message` each.
fn errors(text: &str) -> Vec<String> {
    match mef::import(&[Source::new("m.xml", text)]) {
        Ok(t) => panic!("expected errors, imported {} elements", t.elements.len()),
        Err(e) => e.iter().map(|e| e.to_string()).collect(),
    }
}

fn one(text: &str) -> String {
    let e = errors(text);
    assert_eq!(e.len(), 1, "{e:?}");
    e[0].clone()
}

#[test]
fn undefined_basic_event_names_the_event_gate_and_line() {
    let xml = r#"<opsa-mef>
<define-fault-tree name="ft">
<define-gate name="top">
<or>
<basic-event name="e1"/>
<basic-event name="e9"/>
</or>
</define-gate>
</define-fault-tree>
<model-data><define-basic-event name="e1"><float value="0.1"/></define-basic-event></model-data>
</opsa-mef>"#;
    assert_eq!(one(xml), "m.xml:6: undefined basic event 'e9' in gate 'top'");
}

#[test]
fn undefined_gate_names_the_gate_and_line() {
    let xml = r#"<opsa-mef>
<define-fault-tree name="ft">
<define-gate name="top">
<and>
<gate name="missing"/>
<event name="nowhere"/>
</and>
</define-gate>
</define-fault-tree>
</opsa-mef>"#;
    assert_eq!(
        errors(xml),
        ["m.xml:5: undefined gate 'missing' in gate 'top'", "m.xml:6: undefined event 'nowhere' in gate 'top'"]
    );
}

#[test]
fn unsupported_formula_names_the_element_gate_and_line() {
    let xml = r#"<opsa-mef>
<define-fault-tree name="ft">
<define-gate name="g3">
<or>
<basic-event name="a"/>
<imply>
<basic-event name="a"/>
<basic-event name="b"/>
</imply>
</or>
</define-gate>
<define-basic-event name="a"><float value="0.1"/></define-basic-event>
<define-basic-event name="b"><float value="0.1"/></define-basic-event>
</define-fault-tree>
</opsa-mef>"#;
    assert_eq!(one(xml), "m.xml:6: unsupported <imply> in gate 'g3'");
}

#[test]
fn unsupported_top_level_and_expression_constructs() {
    let xml = r#"<opsa-mef>
<define-event-tree name="et1"/>
<define-fault-tree name="ft">
<define-CCF-group name="ccf" model="beta-factor"/>
<define-gate name="g"><or><basic-event name="a"/><basic-event name="b"/></or></define-gate>
<define-basic-event name="a"><lognormal-deviate><float value="1e-3"/><float value="3"/><float value="0.95"/></lognormal-deviate></define-basic-event>
<define-basic-event name="b"><float value="0.1"/></define-basic-event>
</define-fault-tree>
<define-substitution name="s"/>
</opsa-mef>"#;
    assert_eq!(
        errors(xml),
        [
            "m.xml:2: unsupported <define-event-tree> 'et1'",
            "m.xml:4: unsupported <define-CCF-group> 'ccf' in fault tree 'ft'",
            "m.xml:9: unsupported <define-substitution> 's'",
            "m.xml:6: unsupported <lognormal-deviate> in basic event 'a'",
        ]
    );
}

#[test]
fn malformed_xml_gives_the_line() {
    let xml = "<opsa-mef>\n<define-fault-tree name=\"ft\">\n<define-gate name=\"g\">\n<or>\n</and>\n</define-gate>\n</define-fault-tree>\n</opsa-mef>\n";
    let e = one(xml);
    assert!(e.starts_with("m.xml:5: malformed XML: "), "{e}");
    assert!(e.contains("and"), "{e}");

    let unclosed = "<opsa-mef>\n<define-fault-tree name=\"ft\">\n<define-gate name=\"g\">\n";
    assert_eq!(
        one(unclosed),
        "m.xml:4: malformed XML: the file ends inside <define-gate> (opened at line 3)"
    );

    let entity = "<opsa-mef>\n<define-fault-tree name=\"ft\">\n<label>a &nope; b</label>\n</define-fault-tree>\n</opsa-mef>";
    assert_eq!(one(entity), "m.xml:3: malformed XML: unknown entity &nope;");
}

#[test]
fn bad_probability_text_names_the_event_and_line() {
    let xml = r#"<opsa-mef>
<define-fault-tree name="ft">
<define-gate name="g"><or><basic-event name="a"/><basic-event name="b"/></or></define-gate>
</define-fault-tree>
<model-data>
<define-basic-event name="a">
<float value="0.1x"/>
</define-basic-event>
<define-basic-event name="b"><exponential><float value="1e-4"/><int value="ten"/></exponential></define-basic-event>
</model-data>
</opsa-mef>"#;
    assert_eq!(
        errors(xml),
        [
            "m.xml:7: bad number '0.1x' in <float value> of basic event 'a'",
            "m.xml:9: bad number 'ten' in <int value> of basic event 'b'",
        ]
    );
}

#[test]
fn atleast_without_min_or_with_a_bad_min() {
    let xml = r#"<opsa-mef>
<define-fault-tree name="ft">
<define-gate name="vote">
<atleast>
<basic-event name="a"/><basic-event name="b"/><basic-event name="c"/>
</atleast>
</define-gate>
<define-gate name="vote2"><atleast min="two"><basic-event name="a"/><basic-event name="b"/></atleast></define-gate>
<define-basic-event name="a"><float value="0.1"/></define-basic-event>
<define-basic-event name="b"><float value="0.1"/></define-basic-event>
<define-basic-event name="c"><float value="0.1"/></define-basic-event>
</define-fault-tree>
</opsa-mef>"#;
    assert_eq!(
        errors(xml),
        [
            "m.xml:4: <atleast> without min in gate 'vote'",
            "m.xml:8: bad min 'two' in <atleast> of gate 'vote2' (expected a whole number)",
        ]
    );
}

#[test]
fn wrong_kind_of_reference_duplicates_and_missing_probability() {
    let xml = r#"<opsa-mef>
<define-fault-tree name="ft">
<define-gate name="g"><or><gate name="a"/><basic-event name="b"/></or></define-gate>
<define-basic-event name="a"><float value="0.1"/></define-basic-event>
<define-basic-event name="b"/>
<define-gate name="a"><or><basic-event name="b"/></or></define-gate>
</define-fault-tree>
</opsa-mef>"#;
    assert_eq!(
        errors(xml),
        [
            "m.xml:6: gate 'a' is already defined (as a basic event at m.xml:4)",
            "m.xml:3: 'a' is referenced as a gate in gate 'g' but is a basic event (defined at m.xml:4)",
            "m.xml:5: basic event 'b' has no probability",
        ]
    );
}

#[test]
fn errors_name_the_file_they_are_in_and_the_root_is_checked() {
    let a = Source::new("a.xml", "<opsa-mef>\n<define-fault-tree name=\"ft\">\n<define-gate name=\"g\"><or><gate name=\"h\"/><basic-event name=\"x\"/></or></define-gate>\n</define-fault-tree>\n</opsa-mef>");
    let b = Source::new("b.xml", "<?xml version=\"1.0\"?>\n<model>\n</model>");
    let e: Vec<String> = mef::import(&[a, b]).unwrap_err().iter().map(|e| e.to_string()).collect();
    assert_eq!(
        e,
        [
            "b.xml:2: the root element is <model>, expected <opsa-mef>",
            "a.xml:3: undefined gate 'h' in gate 'g'",
            "a.xml:3: undefined basic event 'x' in gate 'g'",
        ]
    );
}

#[test]
fn parameters_that_loop_or_are_missing() {
    let xml = r#"<opsa-mef>
<define-fault-tree name="ft">
<define-gate name="g"><or><basic-event name="a"/><basic-event name="b"/></or></define-gate>
</define-fault-tree>
<model-data>
<define-basic-event name="a"><parameter name="p"/></define-basic-event>
<define-basic-event name="b"><parameter name="q"/></define-basic-event>
<define-parameter name="p"><mul><float value="2"/><parameter name="p"/></mul></define-parameter>
</model-data>
</opsa-mef>"#;
    assert_eq!(
        errors(xml),
        [
            "m.xml:8: parameter 'p' is defined in terms of itself",
            "m.xml:7: undefined parameter 'q' in basic event 'b'",
        ]
    );
}
