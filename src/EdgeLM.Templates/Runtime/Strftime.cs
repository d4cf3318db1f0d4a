using System.Globalization;
using System.Text;

namespace EdgeLM.Templates.Runtime;

/// <summary>C strftime with the C locale's English names (what transformers' strftime_now calls).</summary>
internal static class Strftime
{
    private static readonly string[] s_months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] s_days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    public static string Format(DateTime t, string format)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            char c = format[++i];
            // glibc's '-' flag drops the zero padding (%-d → "5").
            bool noPad = false;
            if (c == '-' && i + 1 < format.Length)
            {
                noPad = true;
                c = format[++i];
            }
            string Two(int v) => noPad ? v.ToString(inv) : v.ToString("00", inv);
            sb.Append(c switch
            {
                'Y' => t.Year.ToString(inv),
                'y' => Two(t.Year % 100),
                'm' => Two(t.Month),
                'd' => Two(t.Day),
                'e' => t.Day.ToString(inv).PadLeft(2),
                'H' => Two(t.Hour),
                'I' => Two(t.Hour % 12 == 0 ? 12 : t.Hour % 12),
                'M' => Two(t.Minute),
                'S' => Two(t.Second),
                'p' => t.Hour < 12 ? "AM" : "PM",
                'B' => s_months[t.Month - 1],
                'b' or 'h' => s_months[t.Month - 1][..3],
                'A' => s_days[(int)t.DayOfWeek],
                'a' => s_days[(int)t.DayOfWeek][..3],
                'j' => noPad ? t.DayOfYear.ToString(inv) : t.DayOfYear.ToString("000", inv),
                'w' => ((int)t.DayOfWeek).ToString(inv),
                'u' => (t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek).ToString(inv),
                'F' => t.ToString("yyyy-MM-dd", inv),
                'T' => t.ToString("HH:mm:ss", inv),
                'D' => t.ToString("MM/dd/yy", inv),
                'R' => t.ToString("HH:mm", inv),
                'c' => $"{s_days[(int)t.DayOfWeek][..3]} {s_months[t.Month - 1][..3]} {t.Day,2} {t:HH:mm:ss} {t.Year}",
                'x' => t.ToString("MM/dd/yy", inv),
                'X' => t.ToString("HH:mm:ss", inv),
                'Z' => "",
                'z' => "",
                'n' => "\n",
                't' => "\t",
                '%' => "%",
                _ => "%" + (noPad ? "-" : "") + c,
            });
        }
        return sb.ToString();
    }
}
