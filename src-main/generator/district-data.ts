/**
 * The fixed vocabulary of the synthetic district: Nanjing's Jiangbei new area, which spans streets of 浦口区 (320111)
 * and 六合区 (320116). Names and codes are realistic in shape; the people are invented.
 */
import type { PolicyRow } from '../domain/exchange/rows.js';

export const JURISDICTION = ['320111', '320116'] as const;
export const COUNTIES: readonly [string, string][] = [
  ['320111', '浦口区'],
  ['320116', '六合区'],
];
export const STREETS: readonly [string, string][] = [
  ['320111001', '江浦街道'],
  ['320111002', '顶山街道'],
  ['320111003', '沿江街道'],
  ['320111004', '泰山街道'],
  ['320111005', '盘城街道'],
  ['320111006', '桥林街道'],
  ['320111007', '汤泉街道'],
  ['320111008', '星甸街道'],
  ['320111009', '永宁街道'],
  ['320116001', '雄州街道'],
  ['320116002', '龙池街道'],
  ['320116003', '葛塘街道'],
  ['320116004', '长芦街道'],
  ['320116005', '大厂街道'],
  ['320116006', '程桥街道'],
  ['320116007', '马鞍街道'],
];
export const COMMUNITY_STEMS = [
  '龙华', '东门', '求雨山', '珠江', '浦园', '江星', '新华', '团结', '花旗', '石桥', '侯冲', '高旺', '凤凰', '金汤',
  '泰冯', '柳州', '虎桥', '新城', '大桥', '明发', '滨江', '象山', '五里', '太子山', '兴隆', '双峰', '金桥', '永丰',
];
export const SURNAMES = [
  '王', '王', '李', '李', '张', '张', '刘', '陈', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭',
  '何', '林', '高', '罗', '郑', '梁', '谢', '宋', '唐', '许', '邓', '韩', '冯', '曹', '彭', '曾', '肖', '田', '董', '潘',
  '袁', '蔡', '蒋', '余', '于', '杜', '叶', '程', '魏', '苏', '吕', '丁', '任', '卢', '姚', '沈', '钟', '姜', '崔', '谭',
  '陆', '范', '汪', '廖', '石', '金', '韦', '贾', '夏', '付', '方', '邹', '熊', '白', '孟', '秦', '邱', '侯', '江', '尹',
  '欧阳', '司马',
];
export const GIVEN_MALE = ['伟', '强', '磊', '军', '洋', '勇', '杰', '涛', '明', '超', '刚', '平', '辉', '鹏', '华', '飞', '鑫', '波', '斌', '宇', '浩', '凯', '健', '俊', '帆', '峰', '建', '国', '志', '文', '海', '龙', '林', '亮', '成', '东'];
export const GIVEN_FEMALE = ['芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '秀', '桂', '英', '玉', '兰', '萍', '红', '梅', '琳', '婷', '雪', '慧', '颖', '倩', '琴', '云', '洁', '燕', '丹', '蕾', '薇', '佳', '欣', '悦'];
/** Where ID numbers were first issued: mostly local, some from elsewhere in Jiangsu and Anhui (people move). */
export const ID_ADDRESS_CODES = ['320111', '320111', '320111', '320116', '320116', '320102', '320106', '320113', '321023', '341181', '342401', '320922'];
/** Places outside the jurisdiction that people move to. */
export const ELSEWHERE = ['320106001002', '320113005001', '320115002003', '341181100201', '310115005002', '321023101001'];
export const VISITORS = ['网格员王芳', '网格员李强', '社工陈静', '网格员周杰', '社工吴敏', '网格员徐磊'];
export const DEATH_SOURCES = ['公安', '卫健', '殡葬'];
/** Schema v2: where deposits and other financial assets are held, and who reviews households. */
export const BANKS = ['中国工商银行', '中国农业银行', '中国银行', '中国建设银行', '交通银行', '中国邮政储蓄银行', '江苏银行', '南京银行', '紫金农商银行'];
export const V2_INSTITUTIONS = {
  online: ['支付宝', '微信支付', '京东金融'],
  securities: ['华泰证券', '南京证券', '国泰君安证券'],
  fund: ['华夏基金', '易方达基金', '南方基金'],
  insurance: ['中国人寿', '中国平安', '太平洋保险'],
} as const;
export const REVIEWERS = ['民政助理员张敏', '民政助理员刘洋', '社工周婷', '民政助理员孙浩', '社工郑丽'];

const y = (yuan: number) => Math.round(yuan * 100);

/** Standards: a city-wide 低保 standard with a 六合区 override, raised on 1 July each year. */
export const POLICIES: readonly PolicyRow[] = [
  { division_prefix: '3201', program: 'dibao', effective_from: '2022-07-01', standard_monthly_cents: y(1050) },
  { division_prefix: '3201', program: 'dibao', effective_from: '2023-07-01', standard_monthly_cents: y(1100) },
  { division_prefix: '320116', program: 'dibao', effective_from: '2022-07-01', standard_monthly_cents: y(1000) },
  { division_prefix: '320116', program: 'dibao', effective_from: '2023-07-01', standard_monthly_cents: y(1060) },
  { division_prefix: '3201', program: 'tekun', effective_from: '2022-07-01', standard_monthly_cents: y(1365) },
  { division_prefix: '3201', program: 'tekun', effective_from: '2023-07-01', standard_monthly_cents: y(1430) },
  { division_prefix: '3201', program: 'child_difficulty', effective_from: '2022-07-01', standard_monthly_cents: y(1500) },
  { division_prefix: '3201', program: 'child_severe', effective_from: '2022-07-01', standard_monthly_cents: y(1800) },
  { division_prefix: '3201', program: 'disability_living', effective_from: '2022-07-01', standard_monthly_cents: y(150) },
  { division_prefix: '3201', program: 'disability_care', effective_from: '2022-07-01', standard_monthly_cents: y(200) },
  { division_prefix: '3201', program: 'elderly_alone', effective_from: '2022-07-01', standard_monthly_cents: y(100) },
  { division_prefix: '3201', program: 'linshi', effective_from: '2022-07-01', standard_monthly_cents: y(3000) },
  { division_prefix: '3201', program: 'dibao_edge', effective_from: '2022-07-01', standard_monthly_cents: 0 },
];
