//! Digits as large as the screen allows, for the projector read from the back of a room.
//! tui-big-text stops at one font pixel per cell; here a pixel is k×k (k columns, k half-rows),
//! k as large as fits, from the same 8×8 font (font8x8, which tui-big-text draws from too).

use font8x8::UnicodeFonts;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;
use tui_big_text::{BigText, PixelSize};

pub struct Huge {
    text: String,
    style: Style,
}

impl Huge {
    pub fn new(text: impl Into<String>, style: Style) -> Huge {
        Huge {
            text: text.into(),
            style,
        }
    }

    /// The pixel size the text gets in `area`: 0 when even one cell per pixel does not fit.
    pub fn scale(&self, area: Rect) -> u16 {
        let n = self.text.chars().count().max(1) as u16;
        (area.width / (8 * n)).min(area.height / 4)
    }
}

impl Widget for Huge {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let k = self.scale(area);
        if k == 0 {
            BigText::builder()
                .pixel_size(PixelSize::Quadrant)
                .style(self.style)
                .lines(vec![self.text.into()])
                .centered()
                .build()
                .render(area, buf);
            return;
        }
        let glyphs: Vec<[u8; 8]> = self
            .text
            .chars()
            .map(|c| font8x8::BASIC_FONTS.get(c).unwrap_or([0; 8]))
            .collect();
        let width = 8 * glyphs.len() as u16 * k;
        let height = 4 * k;
        let x0 = area.x + (area.width - width) / 2;
        let y0 = area.y + (area.height - height) / 2;
        for row in 0..height {
            for col in 0..width {
                let gx = (col / k) as usize;
                let glyph = glyphs[gx / 8];
                let on = |half: u16| glyph[(half / k) as usize] & (1 << (gx % 8)) != 0;
                let symbol = match (on(2 * row), on(2 * row + 1)) {
                    (true, true) => "█",
                    (true, false) => "▀",
                    (false, true) => "▄",
                    (false, false) => continue,
                };
                buf[(x0 + col, y0 + row)]
                    .set_symbol(symbol)
                    .set_style(self.style);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_grow_with_the_screen() {
        let small = Rect::new(0, 0, 40, 8);
        let big = Rect::new(0, 0, 200, 40);
        assert_eq!(Huge::new("0:45", Style::new()).scale(small), 1);
        assert_eq!(Huge::new("0:45", Style::new()).scale(big), 6);
        let mut buf = Buffer::empty(big);
        Huge::new("1", Style::new()).render(big, &mut buf);
        let filled = buf.content().iter().filter(|c| c.symbol() != " ").count();
        assert!(filled > 100, "a large 1 is drawn: {filled} cells");
    }
}
