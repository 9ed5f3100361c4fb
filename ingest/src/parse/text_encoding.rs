//! Turning a text file's bytes into a `String`: UTF-8 with or without BOM, UTF-16 with BOM, and
//! Windows-1252 (what Excel's plain "CSV" writes on Dutch Windows) converted with a notice.
//! Anything else is refused with a message that says how to save the file properly.

use crate::error::{Error, Result};

#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    /// Set when the file was converted, so the user knows.
    pub notice: Option<String>,
}

/// How to save a CSV properly from Excel, for error messages.
const SAVE_AS_HINT: &str =
    "in Excel choose \"Opslaan als\" → \"CSV UTF-8 (door komma's gescheiden)\", or export as .xlsx";

pub fn decode(name: &str, bytes: &[u8]) -> Result<Decoded> {
    let refuse = |message: String| Error::File {
        file: name.to_owned(),
        message,
    };
    if bytes.starts_with(&[0x50, 0x4b, 0x03, 0x04]) {
        return Err(refuse(
            "is a zip archive (an Excel workbook?), not a text file; give it the .xlsx extension"
                .into(),
        ));
    }
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(refuse(format!(
                "is not valid {} text; {SAVE_AS_HINT}",
                encoding.name()
            )));
        }
        let notice = (encoding != encoding_rs::UTF_8)
            .then(|| format!("{name}: converted from {}", encoding.name()));
        return Ok(Decoded {
            text: text.into_owned(),
            notice,
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            if text.contains('\0') {
                return Err(refuse(
                    "contains NUL bytes: it is a binary file, not text; for Excel workbooks use the .xlsx extension".into(),
                ));
            }
            Ok(Decoded {
                text: text.to_owned(),
                notice: None,
            })
        }
        Err(_) => decode_windows_1252(name, bytes).ok_or_else(|| {
            refuse(format!(
                "is neither UTF-8 nor Windows-1252 text; {SAVE_AS_HINT}"
            ))
        }),
    }
}

/// Windows-1252 leaves five bytes undefined, and text files have no NULs: either means the file
/// is something else, and guessing would corrupt it.
fn decode_windows_1252(name: &str, bytes: &[u8]) -> Option<Decoded> {
    const UNDEFINED: [u8; 5] = [0x81, 0x8d, 0x8f, 0x90, 0x9d];
    if bytes.iter().any(|b| *b == 0 || UNDEFINED.contains(b)) {
        return None;
    }
    let (text, _, had_errors) = encoding_rs::WINDOWS_1252.decode(bytes);
    (!had_errors).then(|| Decoded {
        text: text.into_owned(),
        notice: Some(format!(
            "{name}: not UTF-8; read as Windows-1252 (Excel's \"CSV\") and converted — check that accents such as ë and é look right"
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("a.csv", "datum;tekst\n".as_bytes()).unwrap();
        assert_eq!(plain.text, "datum;tekst\n");
        assert!(plain.notice.is_none());
        let bom = decode("a.csv", b"\xef\xbb\xbfdatum").unwrap();
        assert_eq!(bom.text, "datum");
        assert!(bom.notice.is_none());
    }

    #[test]
    fn windows_1252_is_converted_with_a_notice() {
        // "continuïteit" with ï as 0xEF in Windows-1252
        let decoded = decode("a.csv", b"continu\xefteit").unwrap();
        assert_eq!(decoded.text, "continuïteit");
        assert!(decoded.notice.unwrap().contains("Windows-1252"));
    }

    #[test]
    fn utf16_with_bom_is_converted() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in "één".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        assert_eq!(decode("a.csv", &bytes).unwrap().text, "één");
    }

    #[test]
    fn binary_and_zip_files_are_refused_with_advice() {
        let zip = decode("a.csv", b"PK\x03\x04rest").unwrap_err().to_string();
        assert!(zip.contains(".xlsx"), "{zip}");
        let binary = decode("a.csv", b"\x00\x01\x02\xff")
            .unwrap_err()
            .to_string();
        assert!(binary.contains("Opslaan als"), "{binary}");
        let nul = decode("a.csv", b"datum\0tekst").unwrap_err().to_string();
        assert!(nul.contains("NUL"), "{nul}");
    }
}
